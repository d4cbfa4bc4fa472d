namespace StripeMcp.Tools.Catalog;

/// <summary>A published tool that is not a row of the dispatch table: the generic path's four, the documentation search, the receiver's log.</summary>
/// <param name="Permission">What it needs: a permission, or null for the generic tools (each operation needs its own).</param>
/// <param name="OpenWorld">Whether it reaches Stripe (the calls of the generic path) rather than this server's own data.</param>
internal sealed record SurfaceTool(string Name, string? Permission, string Toolset, Hints Hints, string Title, bool OpenWorld)
{
    public bool ReadOnly => Hints.HasFlag(Hints.ReadOnly);
    public bool Destructive => Hints.HasFlag(Hints.Destructive);
    public bool Idempotent => Hints.HasFlag(Hints.Idempotent);
}

/// <summary>
/// Every tool this server can publish, one row each: the dispatch table's typed tools (<see cref="ToolCatalog"/>) and
/// the surface tools below. Allow and deny by name, read-only, toolsets, token and scope narrowing, the `tools`
/// command and config validation read names from here, so a new surface is a row here and inherits all of them.
/// </summary>
internal static class Inventory
{
    public const string ApiSearch = "stripe_api_search", ApiDetails = "stripe_api_details", ApiRead = "stripe_api_read", ApiWrite = "stripe_api_write",
        DocsSearch = "search_stripe_documentation", ReceivedEvents = "list_received_events";

    /// <summary>The documentation search's own permission (it reads nothing from the account).</summary>
    public const string DocsPermission = "documentation.read";

    public static IReadOnlyList<SurfaceTool> Surface { get; } =
    [
        new(ApiSearch, null, "all", Hints.ReadOnly | Hints.Idempotent, "Search Stripe API operations", OpenWorld: false),
        new(ApiDetails, null, "all", Hints.ReadOnly | Hints.Idempotent, "Stripe API operation details", OpenWorld: false),
        new(ApiRead, null, "all", Hints.ReadOnly | Hints.Idempotent, "Call a Stripe API read operation", OpenWorld: true),
        new(ApiWrite, null, "all", Hints.Destructive, "Call a Stripe API write operation", OpenWorld: true),
        new(DocsSearch, DocsPermission, "docs", Hints.ReadOnly | Hints.Idempotent, "Search Stripe documentation", OpenWorld: false),
        new(ReceivedEvents, "events.read", "events", Hints.ReadOnly | Hints.Idempotent, "List received events", OpenWorld: false),
    ];

    /// <summary>The surface tool of this name, or null; <see cref="Row"/> for one that must exist.</summary>
    public static SurfaceTool? FindSurface(string name) => Surface.FirstOrDefault(s => s.Name == name);

    public static SurfaceTool Row(string name) => FindSurface(name) ?? throw new ArgumentException($"{name} is not a surface tool", nameof(name));

    /// <summary>Every name a tool answers to: typed tools, their aliases, and the surface tools.</summary>
    public static IEnumerable<string> Names => ToolCatalog.All.SelectMany(t => t.Aliases.Prepend(t.Name)).Concat(Surface.Select(s => s.Name));
}
