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
