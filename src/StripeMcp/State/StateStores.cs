using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;

namespace StripeMcp.State;

/// <summary>Which store a server uses, and where the default one lives.</summary>
public static class StateStores
{
    /// <summary>
    /// stripe-mcp/state.db in the user's state directory: $XDG_STATE_HOME (else ~/.local/state) on Linux,
    /// ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows.
    /// </summary>
    public static string DefaultPath(Func<string, string?> env)
    {
        string root;
        if (OperatingSystem.IsWindows()) root = env("LOCALAPPDATA") is { Length: > 0 } local ? local : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else if (OperatingSystem.IsMacOS()) root = Path.Combine(Home(env), "Library", "Application Support");
        else root = env("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg) ? xdg : Path.Combine(Home(env), ".local", "state");
        return Path.Combine(root, "stripe-mcp", "state.db");
    }

    private static string Home(Func<string, string?> env) =>
        env("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>The limit ledger of a server: its store, and totals scoped by the account behind the key.</summary>
    public static async Task<LimitLedger> OpenLedgerAsync(ServerOptions options, Stripe.StripeGateway gateway, ILogger log, CancellationToken ct)
    {
        var store = await OpenLedgerStoreAsync(options, ct);
        if (store is BrokenLedgerStore)
            log.LogWarning("The state store is unavailable ({Reason}): calls that count against a rolling total (limits' maxTotal) will be refused until it is fixed; everything else works.", store.Description);
        else if (store.Durable)
            log.LogInformation("Rolling totals of limits are kept in {Store}", store.Description);
        return new(options.Limits, store, new AccountScope(gateway).ForAsync);
    }

    /// <summary>
    /// The ledger store for these options. The sandbox keeps its totals in memory (a demo never counts
    /// against a real account's), and so does a server with no rolling total to keep. A store that cannot
    /// be opened does not stop the server: it answers every use with why, so limited calls are refused
    /// (fail closed) and everything else goes on.
    /// </summary>
    public static async Task<ILedgerStore> OpenLedgerStoreAsync(ServerOptions options, CancellationToken ct)
    {
        var keep = LimitLedger.LongestWindow(options.Limits);
        if (options.Sandbox || !options.Limits.Rules.Any(r => r.MaxTotal.Count > 0)) return new MemoryLedgerStore(keep);
        var path = options.StatePath ?? DefaultPath(Environment.GetEnvironmentVariable);
        try
        {
            return await SqliteLedgerStore.OpenAsync(path, ct);
        }
        catch (StateUnavailable e)
        {
            return new BrokenLedgerStore(e.Message);
        }
    }
}

/// <summary>A store that could not be opened: every use says why.</summary>
public sealed class BrokenLedgerStore(string reason) : ILedgerStore
{
    public string Description => $"unavailable: {reason}";
    public bool Durable => true;
    private StateUnavailable Fail() => new(reason);
    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct) => throw Fail();
    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct) => throw Fail();
    public Task SettleAsync(string id, CancellationToken ct) => throw Fail();
    public Task ReleaseAsync(string id, CancellationToken ct) => throw Fail();
    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => throw Fail();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
