using System.Text.Json;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

// The config file's tool selection: actions (resource → action → true/false), tool lists (tools.allow, tools.deny, a token's deny) and confirm.
internal static partial class OptionsLoader
{
    private sealed partial record ConfigFile
    {
        private static void ReadActions(JsonElement actions, string at, HashSet<string> permissions, List<string> problems)
        {
            if (actions.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object of resource → action → true/false, like {{\"customers\": {{\"read\": true}}}}");
                return;
            }
            foreach (var resource in actions.EnumerateObject())
            {
                var rat = $"{at}.{resource.Name}";
                if (resource.Value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{rat}: must be an object of action → true/false, like {{\"read\": true, \"create\": false}}");
                    continue;
                }
                if (CanonicalResource(resource.Name, rat, problems) is not { } camel) continue;
                foreach (var action in resource.Value.EnumerateObject())
                {
                    var aat = $"{rat}.{action.Name}";
                    if (action.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        problems.Add($"{aat}: must be true or false");
                    // Check the key even when false: a misspelt "false" is as wrong as a misspelt "true".
                    else if (CheckAction(camel, action.Name, aat, problems) && action.Value.GetBoolean())
                        permissions.Add($"{camel}.{action.Name}");
                }
            }
        }

        /// <param name="operations">A deny list also takes the generic path's operation ids (PostQuotesQuoteAccept).</param>
        private static void ReadToolNames(JsonElement names, string at, HashSet<string> into, List<string> problems, bool operations = false)
        {
            if (names.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{at}: must be an array of tool names, like [\"void_invoice\"]");
                return;
            }
            var i = 0;
            foreach (var n in names.EnumerateArray())
            {
                var iat = $"{at}[{i++}]";
                if (n.ValueKind != JsonValueKind.String) { problems.Add($"{iat}: must be a tool name string"); continue; }
                var name = n.GetString()!;
                if (ToolCatalog.Find(name) is { } tool) into.Add(tool.Name);
                else if (Inventory.FindSurface(name) is { } surface) into.Add(surface.Name);
                // Only a name that is no tool's builds the operation catalog (start-up stays quick otherwise).
                else if (operations && Api.ApiCatalog.Find(name) is { } op) into.Add(op.Id);
                else
                    problems.Add($"{iat}: unknown tool \"{name}\"{DidYouMean(name, operations ? ToolOrOperationNames(name) : Inventory.Names)}; run `stripe-mcp tools --tools all` to list them"
                        + (operations ? " (an operation id of the generic path, from stripe_api_search, is taken too)" : ""));
            }
        }

        /// <summary>{"tool": "on" | "off" | true | false} or ["tool", …] (on).</summary>
        private static IReadOnlyDictionary<string, bool> ReadConfirm(JsonElement e, string at, List<string> problems)
        {
            var result = new Dictionary<string, bool>();
            void Tool(string name, string where, bool on)
            {
                if (ToolCatalog.Find(name) is { } tool) result[tool.Name] = on;
                // An operation id of the generic path too; only a name that is no tool's builds the catalog.
                else if (Api.ApiCatalog.Find(name) is { } op) result[op.Id] = on;
                else
                    problems.Add($"{where}: unknown tool \"{name}\"{DidYouMean(name, ToolOrOperationNames(name))} (an operation id of the generic path, from stripe_api_search, is taken too)");
            }
            if (e.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var n in e.EnumerateArray())
                {
                    if (n.ValueKind == JsonValueKind.String) Tool(n.GetString()!, $"{at}[{i}]", true);
                    else problems.Add($"{at}[{i}]: must be a tool name");
                    i++;
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    bool? on = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.String when p.Value.GetString() == "on" => true,
                        JsonValueKind.String when p.Value.GetString() == "off" => false,
                        _ => null,
                    };
                    if (on is null) problems.Add($"{at}.{p.Name}: must be \"on\" or \"off\"");
                    else Tool(p.Name, $"{at}.{p.Name}", on.Value);
                }
            }
            else problems.Add($"{at}: must be an object like {{\"create_refund\": \"on\", \"cancel_subscription\": \"off\"}} or an array of tool names");
            return result;
        }
    }
}
