using System.Text.RegularExpressions;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

// Permission keys (resource.action), toolsets and tool names: --tools, and the config file's actions, toolsets and tool lists.
internal static partial class OptionsLoader
{
    public static readonly string[] ActionNames = ["read", "create", "update", "delete"];

    /// <summary>
    /// <c>all</c>, or comma-separated <c>resource.action</c> keys as @stripe/mcp accepts them.
    /// Keys add up: "customers.create,customers.read" enables both.
    /// </summary>
    public static void ParseToolsFlag(string value, HashSet<string> permissions, List<string> problems)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) { problems.Add("--tools: empty; give \"all\" or keys like customers.read,refunds.create"); return; }
        foreach (var item in items)
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                permissions.UnionWith(Api.ApiPermissions.All);
                continue;
            }
            var dot = item.IndexOf('.');
            if (dot <= 0 || dot == item.Length - 1)
            {
                var toolHint = ToolCatalog.Find(item) is { } t ? $" (\"{item}\" is a tool; its key is {t.Permission})" : "";
                problems.Add($"--tools: \"{item}\" is not a resource.action key like customers.read{toolHint}");
                continue;
            }
            if (CanonicalPermission(item[..dot], item[(dot + 1)..], $"--tools \"{item}\"", problems) is { } key)
                permissions.Add(key);
        }
    }

    /// <summary>
    /// The canonical "resource.action" key, or null after adding a problem. Resources may be camelCase
    /// (paymentLinks) or snake_case (payment_links).
    /// </summary>
    public static string? CanonicalPermission(string resource, string action, string where, List<string> problems) =>
        CanonicalResource(resource, where, problems) is { } camel && CheckAction(camel, action, where, problems)
            ? $"{camel}.{action}" : null;

    /// <summary>The camelCase resource name, or null after adding a problem.</summary>
    public static string? CanonicalResource(string resource, string where, List<string> problems)
    {
        var camel = SnakeRegex().Replace(resource, m => m.Groups[1].Value.ToUpperInvariant());
        if (Api.ApiPermissions.Actions.ContainsKey(camel)) return camel;
        problems.Add($"{where}: unknown resource \"{resource}\"{DidYouMean(resource, Api.ApiPermissions.Actions.Keys)}; known resources: {string.Join(", ", Api.ApiPermissions.Actions.Keys.Order())}");
        return null;
    }

    private static bool CheckAction(string resource, string action, string where, List<string> problems)
    {
        var actions = Api.ApiPermissions.Actions[resource];
        if (actions.Contains(action)) return true;
        var known = string.Join(", ", ActionNames.Where(actions.Contains));
        problems.Add(ActionNames.Contains(action)
            ? $"{where}: resource \"{resource}\" has no \"{action}\" tools; it has: {known}"
            : $"{where}: unknown action \"{action}\"{DidYouMean(action, ActionNames)}; \"{resource}\" has: {known}");
        return false;
    }

    /// <summary>Every permission of every resource in the toolset ("all": everything).</summary>
    internal static void AddToolset(string name, string where, HashSet<string> permissions, List<string> problems)
    {
        if (name == "all") permissions.UnionWith(Api.ApiPermissions.All);
        else if (ToolCatalog.Toolsets.TryGetValue(name, out var resources))
            permissions.UnionWith(Api.ApiPermissions.All.Where(p => resources.Contains(p[..p.IndexOf('.')])));
        else problems.Add($"{where}: unknown toolset \"{name}\"{DidYouMean(name, ToolCatalog.ToolsetNames)}; toolsets: {string.Join(", ", ToolCatalog.ToolsetNames)}");
    }

    /// <summary>Names to suggest for a mistyped tool: tools' names, and operation ids when it looks like one (PostQuotes…).</summary>
    private static IEnumerable<string> ToolOrOperationNames(string typed) =>
        typed.Length > 3 && char.IsUpper(typed[0]) && (typed.StartsWith("Get", StringComparison.Ordinal) || typed.StartsWith("Post", StringComparison.Ordinal) || typed.StartsWith("Delete", StringComparison.Ordinal))
            ? Api.ApiCatalog.All.Select(o => o.Id) : Inventory.Names;

    [GeneratedRegex("_([a-z])")]
    private static partial Regex SnakeRegex();
}
