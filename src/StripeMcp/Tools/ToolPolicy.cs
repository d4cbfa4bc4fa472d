using StripeMcp.Configuration;

namespace StripeMcp.Tools;

/// <summary>
/// The one place that decides which tools exist for this server, in a fixed order:
/// (1) allowed = its permission is in the allow-list, or its name is in tools.allow;
/// (2) minus tools.deny; (3) with read-only, minus every tool that is not readOnly.
/// Deny and read-only always win. A tool that is not enabled is neither listed nor callable.
/// </summary>
public static class ToolPolicy
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
    /// An operation of the generic API path is enabled like a tool: its permission is allowed; it is not
    /// denied by its id, nor by the name of any typed tool that makes the same request (deny wins); with
    /// read-only it must be a GET; a test helper needs a test key or the sandbox.
    /// </summary>
    public static bool IsEnabled(Api.ApiOperation op, ServerOptions options) =>
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
    /// an allowed read permission has operations no typed tool makes, write likewise for the other actions.
    /// </summary>
    public static (bool Read, bool Write) GenericPath(ServerOptions options)
    {
        bool Any(Func<string, bool> which) => options.Permissions.Any(p => which(p) && Api.ApiPermissions.Table.GetValueOrDefault(p) > 0);
        return (Any(p => p.EndsWith(".read", StringComparison.Ordinal)), !options.ReadOnly && Any(p => !p.EndsWith(".read", StringComparison.Ordinal)));
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
    /// Destructive tools ask the human first, and so does any tool the config turns "on"; "off" never asks.
    /// An operation of the generic path is keyed by its id; without its own key it also asks when a typed
    /// tool making the same request is turned "on" (a typed tool's "off" does not silence its destructive twin).
    /// </summary>
    public static bool NeedsConfirmation(ToolDefinition tool, ServerOptions options)
    {
        if (options.Confirm.TryGetValue(tool.Name, out var on)) return on;
        if (tool.Destructive) return true;
        return ToolCatalog.Find(tool.Name) is null && options.Confirm.Count > 0
            && Api.ApiCatalog.TypedAllFor(tool.Method, tool.Path).Any(t => options.Confirm.GetValueOrDefault(t.Name));
    }

    /// <summary>
    /// Why a call may not reach the connected account it names as its object (a path's <c>{account}</c>:
    /// retrieve or update an account, its persons, capabilities …; an account link's or session's
    /// <c>account</c>), or null. Such calls act as the platform, so the Stripe-Account rules do not bound them:
    /// this does, with the same accounts — context.accounts, else the fixed context.account, a token's pinned one.
    /// </summary>
    public static string? TargetAccountProblem(ToolDefinition tool, IReadOnlyDictionary<string, System.Text.Json.JsonElement> args, ServerOptions options)
    {
        var allowed = options.AccountAllowList ?? (options.Account is { } only ? new HashSet<string> { only } : null);
        if (allowed is null || allowed.Contains("*")) return null;
        var names = tool.PathParams.Contains(ToolDefinition.AccountArgument) || TargetsAccount.Contains(tool.Resource);
        if (!names || !args.TryGetValue(ToolDefinition.AccountArgument, out var v) || v.ValueKind != System.Text.Json.JsonValueKind.String) return null;
        var target = v.GetString()!;
        return allowed.Contains(target) ? null
            : $"{ToolDefinition.AccountArgument} {target} is not an account this server may act for (allowed: {string.Join(", ", allowed.Order())})";
    }

    /// <summary>Resources whose calls name a connected account in an `account` field: the account they are about.</summary>
    private static readonly IReadOnlySet<string> TargetsAccount = new HashSet<string> { "accountLinks", "accountSessions", "accounts" };

    /// <summary>Connect management is the platform's own business: those tools never act on behalf of an account.</summary>
    public static readonly IReadOnlySet<string> PlatformResources = new HashSet<string> { "accounts", "accountLinks" };

    /// <summary>The Stripe-Account for a call: the argument if allowed, else the configured default. Null problem = allowed.</summary>
    public static (string? Account, string? Problem) AccountFor(ServerOptions options, string? requested)
    {
        if (requested is null) return (options.Account, null);
        if (!OptionsLoader.IsAccountId(requested))
            return (null, $"{ToolDefinition.AccountArgument}: must be a connected account id like acct_1Nv0FGQ9RKHgCVdK");
        var allowed = options.AccountAllowList;
        if (allowed is null) return (null, $"{ToolDefinition.AccountArgument}: this server does not allow per-call accounts");
        if (allowed.Contains("*") || allowed.Contains(requested)) return (requested, null);
        return (null, $"{ToolDefinition.AccountArgument}: {requested} is not an account this server may act for; allowed: {string.Join(", ", allowed.Order())}");
    }
}
