using StripeMcp.Configuration;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;
using StripeMcp.Api;

namespace StripeMcp.Policy;

/// <summary>
/// The one place that decides which tools exist for this server, in a fixed order:
/// (1) allowed = its permission is in the allow-list, or its name is in tools.allow;
/// (2) minus tools.deny; (3) with read-only, minus every tool that is not readOnly.
/// Deny and read-only always win. A tool that is not enabled is neither listed nor callable.
/// </summary>
internal static class ToolPolicy
{
    public static bool IsEnabled(ToolDefinition tool, ServerOptions options) =>
        (options.Permissions.Contains(tool.Permission) || options.AllowTools.Contains(tool.Name))
        && !options.DenyTools.Contains(tool.Name)
        && (!options.ReadOnly || tool.ReadOnly)
        && (!tool.Path.StartsWith("/v1/test_helpers/", StringComparison.Ordinal) || TestMode(options));

    /// <summary>Test helpers (test clocks …) exist only in test mode: the sandbox, or a test key.</summary>
    public static bool TestMode(ServerOptions options) =>
        options.Sandbox || options.ApiKey?.StartsWith("sk_test_", StringComparison.Ordinal) == true || options.ApiKey?.StartsWith("rk_test_", StringComparison.Ordinal) == true;

    /// <summary>
    /// The enabled tools as they are published: with context.accounts, every tool that can act on
    /// behalf of a connected account gains the optional `account` argument.
    /// </summary>
    public static IReadOnlyList<ToolDefinition> Enabled(ServerOptions options) =>
        ToolCatalog.All.Where(t => IsEnabled(t, options))
            .Select(t => options.AccountAllowList is { } allowed && !PlatformResources.Contains(t.Resource) ? t.WithPerCallAccount(allowed, options.Account) : t)
            .ToList();

    /// <summary>
    /// The typed tools published as tools: the enabled ones, or none in compact mode, where the generic tools stand in
    /// for them (their operations stay enabled, reached through stripe_api_read and stripe_api_write).
    /// </summary>
    public static IReadOnlyList<ToolDefinition> Published(ServerOptions options) => options.Compact ? [] : Enabled(options);

    /// <summary>
    /// An operation of the generic API path is enabled like a tool: its permission is allowed (a typed tool in tools.allow
    /// enables that tool only, with its own narrow arguments, never its whole operation); it is not denied by its id, nor
    /// by the name of any typed tool that makes the same request (deny wins); with read-only it must be a GET; a test
    /// helper needs a test key or the sandbox.
    /// </summary>
    public static bool IsEnabled(Api.ApiOperation op, ServerOptions options) => IsEnabled(op.Row, options);

    /// <inheritdoc cref="IsEnabled(Api.ApiOperation, ServerOptions)"/>
    public static bool IsEnabled(Api.OperationRow op, ServerOptions options) =>
        options.Permissions.Contains(op.Permission)
        && !options.DenyTools.Contains(op.Id)
        && !Api.ApiCatalog.TypedAllFor(op.Method, op.Path).Any(t => options.DenyTools.Contains(t.Name))
        && (!options.ReadOnly || op.ReadOnly)
        && (!op.TestHelper || TestMode(options));

    /// <summary>
    /// A surface tool (<see cref="Inventory.Surface"/>) is enabled like a typed one: not denied by name, not a write
    /// under read-only, its permission allowed or its name in tools.allow. The generic tools have no permission of their
    /// own: read and write are published when the policy enables operations for them, search and details with either.
    /// The receiver's log needs a receiver, and is the platform's: not for a caller acting for a connected account.
    /// </summary>
    public static bool IsEnabled(SurfaceTool tool, ServerOptions options, bool receiving = false)
    {
        if (options.DenyTools.Contains(tool.Name) || options.ReadOnly && !tool.ReadOnly) return false;
        if (tool.Name == Inventory.ReceivedEvents && (!receiving || options.Account is not null)) return false;
        if (tool.Permission is { } permission) return options.Permissions.Contains(permission) || options.AllowTools.Contains(tool.Name);
        var (read, write) = GenericPath(options);
        return tool.Name switch { Inventory.ApiRead => read, Inventory.ApiWrite => write, _ => read || write };
    }

    /// <summary>
    /// Which generic tools to publish, decided without building the catalog (start-up stays quick): read when
    /// an allowed read permission has operations no typed tool makes, write likewise for the other actions. In compact
    /// mode they also stand in for the typed tools: read when an enabled typed tool makes a GET, write when one makes a
    /// POST or DELETE.
    /// </summary>
    public static (bool Read, bool Write) GenericPath(ServerOptions options)
    {
        bool Any(Func<string, bool> which) => options.Permissions.Any(p => which(p) && Api.ApiPermissions.Table.GetValueOrDefault(p) > 0);
        var read = Any(p => p.EndsWith(".read", StringComparison.Ordinal));
        var write = !options.ReadOnly && Any(p => !p.EndsWith(".read", StringComparison.Ordinal));
        if (!options.Compact) return (read, write);
        var typed = Enabled(options);
        return (read || typed.Any(t => t.Method == HttpMethod.Get), write || typed.Any(t => t.Method != HttpMethod.Get));
    }

    /// <summary>
    /// The policy of one HTTP bearer token: the server's, narrowed — permissions intersected, denials
    /// and read-only added, the Connect account pinned. Never wider than the server's.
    /// </summary>
    public static ServerOptions Narrow(ServerOptions server, TokenPolicy token) => server with
    {
        Permissions = token.Permissions is null ? server.Permissions : server.Permissions.Intersect(token.Permissions).ToHashSet(),
        AllowTools = token.Permissions is null ? server.AllowTools
            : server.AllowTools.Where(name => ToolCatalog.Find(name) is { } t && token.Permissions.Contains(t.Permission)).ToHashSet(),
        DenyTools = server.DenyTools.Union(token.Deny).ToHashSet(),
        ReadOnly = server.ReadOnly || token.ReadOnly,
        Account = token.Account ?? server.Account,
        AccountAllowList = token.Account is not null && server.AccountAllowList is not null ? new HashSet<string> { token.Account } : server.AccountAllowList,
    };

    /// <summary>
    /// Destructive tools ask the human first, and so does any tool the config turns "on"; "off" never asks. A rule is
    /// keyed by what it protects, the Stripe operation: "on" under any name of the operation — a typed tool that makes
    /// it, or its operation id on the generic path — asks on every surface; a tool's own "off" silences only itself,
    /// and only where no name of its operation is "on".
    /// </summary>
    public static bool NeedsConfirmation(ToolDefinition tool, ServerOptions options)
    {
        if (options.Confirm.Count == 0) return tool.Destructive;
        var names = ToolCatalog.Making(tool.Operation).Select(t => t.Name).Append(tool.Name);
        // Operation ids are looked up (the catalog is built) only when the config names one.
        if (options.Confirm.Keys.Any(k => ToolCatalog.Find(k) is null) && ApiCatalog.ByKey(tool.Operation) is { } op) names = names.Append(op.Id);
        if (names.Any(n => options.Confirm.GetValueOrDefault(n))) return true;
        return options.Confirm.TryGetValue(tool.Name, out var own) ? own : tool.Destructive;
    }

    /// <summary>
    /// Rules of the config that cover no tool this server enables, so they can never apply (a limit on refunds while
    /// refunds.create is off): not refused, since a config can be shared by several servers, but said by
    /// <c>config validate</c> and at start-up, with what would make each apply.
    /// </summary>
    public static IReadOnlyList<string> IdleRules(ServerOptions options)
    {
        var enabled = ToolCatalog.All.Where(t => IsEnabled(t, options)).ToList();
        var idle = new List<string>();
        foreach (var rule in options.Limits.Rules.Where(r => !enabled.Any(t => options.Limits.For(t).Contains(r))))
        {
            var would = ToolCatalog.All.Where(t => !t.ReadOnly && options.Limits.For(t).Contains(rule)).Select(t => t.Permission).Distinct().ToList();
            idle.Add($"limits.{rule.Key}: covers no enabled tool" + (would.Count == 0 ? "" : $"; it applies once {string.Join(" or ", would)} is enabled"));
        }
        foreach (var name in options.Confirm.Keys.Where(n => ToolCatalog.Find(n) is { } t && !enabled.Contains(t)))
            idle.Add($"confirm.{name}: {name} is not enabled; it applies once {ToolCatalog.Find(name)!.Permission} is enabled");
        return idle;
    }

    /// <summary>
    /// Why a call names a connected account the caller may not reach, or null. Every account id a call carries —
    /// the account it is about (a path's <c>{account}</c>, an account link's <c>account</c>), where money goes
    /// (<c>destination</c>, <c>transfer_data.destination</c>, <c>on_behalf_of</c>), what a list is filtered by —
    /// must be one of context.accounts, the fixed context.account or a token's pinned one, like the account a call
    /// acts for. Without any of those, every account is reachable.
    /// </summary>
    public static string? TargetAccountProblem(ToolDefinition tool, IReadOnlyDictionary<string, System.Text.Json.JsonElement> args, ServerOptions options)
    {
        if (options.AccountAllowList is null && options.Account is null || options.AccountAllowList?.Contains("*") == true) return null;
        var allowed = new HashSet<string>(options.AccountAllowList ?? (IEnumerable<string>)[]);
        if (options.Account is { } fixedAccount) allowed.Add(fixedAccount);
        foreach (var (name, value) in args)
            if (!(tool.PerCallAccount && name == ToolDefinition.AccountArgument) && Outside(value, allowed) is { } other)
                return $"{name}: {other} is not an account this server may reach (allowed: {string.Join(", ", allowed.Order(StringComparer.Ordinal))})";
        return null;
    }

    private static string? Outside(System.Text.Json.JsonElement v, IReadOnlySet<string> allowed) => v.ValueKind switch
    {
        System.Text.Json.JsonValueKind.String => v.GetString() is { } s && s.StartsWith("acct_", StringComparison.Ordinal) && !allowed.Contains(s) ? s : null,
        System.Text.Json.JsonValueKind.Object => v.EnumerateObject().Select(p => Outside(p.Value, allowed)).FirstOrDefault(x => x is not null),
        System.Text.Json.JsonValueKind.Array => v.EnumerateArray().Select(e => Outside(e, allowed)).FirstOrDefault(x => x is not null),
        _ => null,
    };

    /// <summary>Connect management is the platform's own business: those tools never act on behalf of an account.</summary>
    public static readonly IReadOnlySet<string> PlatformResources = new HashSet<string> { "accounts", "accountLinks" };

    /// <summary>The Stripe-Account for a call: the argument if allowed, else the configured default. Null problem = allowed.</summary>
    public static (string? Account, string? Problem) AccountFor(ServerOptions options, string? requested)
    {
        if (requested is null) return (options.Account, null);
        if (!StripeIds.IsAccount(requested))
            return (null, $"{ToolDefinition.AccountArgument}: must be a connected account id like acct_1Nv0FGQ9RKHgCVdK");
        var allowed = options.AccountAllowList;
        if (allowed is null) return (null, $"{ToolDefinition.AccountArgument}: this server does not allow per-call accounts");
        if (allowed.Contains("*") || allowed.Contains(requested)) return (requested, null);
        return (null, $"{ToolDefinition.AccountArgument}: {requested} is not an account this server may act for; allowed: {string.Join(", ", allowed.Order())}");
    }
}
