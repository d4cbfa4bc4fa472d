namespace StripeMcp.Tools;

/// <summary>A published tool that is not a row of the dispatch table: the generic path's four, the documentation search, the receiver's log.</summary>
/// <param name="Permission">What it needs: a permission, or null for the generic tools (each operation needs its own).</param>
public sealed record SurfaceTool(string Name, string? Permission, string Toolset, Hints Hints, string Title)
{
    public bool ReadOnly => Hints.HasFlag(Hints.ReadOnly);
}

/// <summary>
/// Every tool this server can publish, one row each: the dispatch table's typed tools (<see cref="ToolCatalog"/>) and
/// the surface tools below. Allow and deny by name, read-only, toolsets, token and scope narrowing, the `tools`
/// command and config validation read names from here, so a new surface is a row here and inherits all of them.
/// </summary>
public static class Inventory
{
    public const string ApiSearch = "stripe_api_search", ApiDetails = "stripe_api_details", ApiRead = "stripe_api_read", ApiWrite = "stripe_api_write",
        DocsSearch = "search_stripe_documentation", ReceivedEvents = "list_received_events";

    public static IReadOnlyList<SurfaceTool> Surface { get; } =
    [
        new(ApiSearch, null, "all", Hints.ReadOnly | Hints.Idempotent, "Search Stripe API operations"),
        new(ApiDetails, null, "all", Hints.ReadOnly | Hints.Idempotent, "Stripe API operation details"),
        new(ApiRead, null, "all", Hints.ReadOnly | Hints.Idempotent, "Call a Stripe API read operation"),
        new(ApiWrite, null, "all", Hints.Destructive, "Call a Stripe API write operation"),
        new(DocsSearch, Docs.DocsSearchTool.Permission, "docs", Hints.ReadOnly | Hints.Idempotent, "Search Stripe documentation"),
        new(ReceivedEvents, "events.read", "events", Hints.ReadOnly | Hints.Idempotent, "List received events"),
    ];

    /// <summary>The surface tool of this name, or null.</summary>
    public static SurfaceTool? FindSurface(string name) => Surface.FirstOrDefault(s => s.Name == name);

    /// <summary>Every name a tool answers to: typed tools, their aliases, and the surface tools.</summary>
    public static IEnumerable<string> Names => ToolCatalog.All.SelectMany(t => t.Aliases.Prepend(t.Name)).Concat(Surface.Select(s => s.Name));
}
