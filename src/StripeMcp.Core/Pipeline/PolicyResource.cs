using System.Text.Json.Nodes;
using StripeMcp.State;
using StripeMcp.Tools;
using StripeMcp.Policy;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Pipeline;

/// <summary>
/// stripe-mcp://policy: what this server lets this caller do, so an agent plans within its bounds instead of finding
/// them by failing — its tools (as `stripe-mcp tools --json` lists them), the generic path, limits with what is
/// left of each rolling total now, Connect accounts, read-only, dry run, and which tools ask a human first. In compact
/// mode no typed tool is published, so confirmation and limits name the operations (ids for stripe_api_write) instead.
/// </summary>
internal static class PolicyResource
{
    public const string Uri = "stripe-mcp://policy";

    /// <param name="published">The names of the tools this caller is served (the composition's).</param>
    public static async Task<JsonObject> RenderAsync(ToolServices services, IReadOnlySet<string> published, CancellationToken ct)
    {
        var o = services.Options;
        var enabled = ToolPolicy.Enabled(o);
        var names = ToolPolicy.Published(o).Select(t => t.Name).Concat(published).ToHashSet();
        var (read, write) = ToolPolicy.GenericPath(o);
        return new JsonObject
        {
            ["caller"] = services.Caller,
            ["mode"] = o.Sandbox ? "sandbox" : ToolPolicy.TestMode(o) ? "test" : "live",
            ["read_only"] = o.ReadOnly,
            ["compact"] = o.Compact,
            ["dry_run"] = o.DryRun,
            ["accounts"] = new JsonObject
            {
                ["default"] = o.Account ?? "platform",
                ["allowed"] = o.AccountAllowList is { } allowed ? new JsonArray([.. allowed.Order(StringComparer.Ordinal).Select(a => (JsonNode)a)]) : null,
            },
            ["tools"] = ToolTable.Entries(ToolCatalog.All.Where(t => names.Contains(t.Name)), names, Inventory.Surface.Where(s => published.Contains(s.Name))),
            ["generic_path"] = new JsonObject
            {
                ["read"] = read,
                ["write"] = write,
                ["operations"] = read || write ? Api.ApiCatalog.All.Count(op => ToolPolicy.IsEnabled(op, o)) : 0,
            },
            ["confirm"] = new JsonArray([.. enabled.Where(t => ToolPolicy.NeedsConfirmation(t, o)).Select(t => Named(t, o)).Distinct().Select(n => (JsonNode)n)]),
            ["limits"] = await LimitsAsync(services, enabled, ct),
        };
    }

    /// <summary>A typed tool as this caller calls it: by its name, or in compact mode by its operation's id (stripe_api_write's `operation`).</summary>
    private static string Named(ToolDefinition t, Configuration.ServerOptions o) => o.Compact && Api.ApiCatalog.ByKey(t.Operation) is { } op ? op.Id : t.Name;

    private static async Task<JsonObject> LimitsAsync(ToolServices services, IReadOnlyList<ToolDefinition> enabled, CancellationToken ct)
    {
        var limits = services.Options.Limits;
        var rules = new JsonArray();
        // Only the rules over this caller's own tools: another caller's totals are not this caller's business.
        foreach (var rule in limits.Rules.Where(r => enabled.Any(t => t.Money is not null && limits.For(t).Contains(r))))
        {
            var totals = new JsonObject();
            foreach (var (currency, max) in rule.MaxTotal.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                try
                {
                    var used = await services.Ledger.UsedAsync(rule, currency, services.Options.Account, ct);
                    totals[currency] = new JsonObject { ["max"] = max, ["used"] = used, ["left"] = Math.Max(0, max - used) };
                }
                catch (StateUnavailable e)
                {
                    totals[currency] = new JsonObject { ["max"] = max, ["used"] = null, ["problem"] = $"the state store is unavailable ({e.Message}): calls under this total are refused until it is back" };
                }
            }
            rules.Add(new JsonObject
            {
                ["key"] = rule.Key,
                ["tools"] = new JsonArray([.. enabled.Where(t => t.Money is not null && limits.For(t).Contains(rule)).Select(t => Named(t, services.Options)).Distinct().Select(n => (JsonNode)n)]),
                ["max_amount"] = rule.MaxAmount.Count == 0 ? null : new JsonObject([.. rule.MaxAmount.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
                ["window_seconds"] = rule.MaxTotal.Count == 0 ? null : (long)rule.Window.TotalSeconds,
                ["totals"] = rule.MaxTotal.Count == 0 ? null : totals,
                ["currencies"] = rule.Currencies is { } c ? new JsonArray([.. c.Order(StringComparer.Ordinal).Select(x => (JsonNode)x)]) : null,
            });
        }
        return new JsonObject
        {
            ["currencies"] = limits.Currencies is { } all ? new JsonArray([.. all.Order(StringComparer.Ordinal).Select(x => (JsonNode)x)]) : null,
            ["rules"] = rules,
            ["note"] = services.Options.Account is null && services.Options.AccountAllowList is not null
                ? "totals are for the platform account; a connected account's own totals count separately" : null,
        };
    }
}
