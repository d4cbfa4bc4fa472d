using System.Globalization;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

/// <summary>One entry of config "limits": keyed by a resource (refunds) or a tool name (create_payment_link).</summary>
internal sealed record LimitRule(
    string Key,
    IReadOnlyDictionary<string, long> MaxAmount,
    IReadOnlyDictionary<string, long> MaxTotal,
    TimeSpan Window,
    IReadOnlySet<string>? Currencies);

/// <summary>Config "limits": an allowed-currencies list for every money-moving tool, and rules per resource or tool.</summary>
internal sealed record LimitSettings
{
    public IReadOnlySet<string>? Currencies { get; init; }
    public IReadOnlyList<LimitRule> Rules { get; init; } = [];

    /// <summary>
    /// The rules that cover the Stripe operation a call makes, whichever surface made it: those keyed by the name or
    /// the resource of any typed tool that makes the operation (update_subscription, pause_subscription and
    /// resume_subscription make one), or by the calling row's own name or resource.
    /// </summary>
    public IReadOnlyList<LimitRule> For(ToolDefinition tool)
    {
        if (Rules.Count == 0) return [];
        var making = ToolCatalog.Making(tool.Operation);
        return [.. Rules.Where(r => r.Key == tool.Name || r.Key == tool.Resource || making.Any(t => t.Name == r.Key || t.Resource == r.Key))];
    }

    /// <summary>Whether any limit is configured at all.</summary>
    public bool Configured => Currencies is not null || Rules.Count > 0;

    /// <summary>
    /// Whether the money check runs for this call (so what it moves must be known before it is sent): a write of an
    /// operation that moves money, when a rule or the currency list covers it; any other write while any limit is
    /// configured (it must then be one known to move no money, with neutral parameters only).
    /// </summary>
    public bool Apply(ToolDefinition tool) => !tool.ReadOnly && (tool.Money is not null ? Currencies is not null || For(tool).Count > 0 : Configured);

    /// <summary>"24h", "30m", "7d", "90s".</summary>
    public static TimeSpan? ParseWindow(string text)
    {
        if (text.Length < 2 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return null;
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}
