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
        if (store is LazyLedgerStore { Broken: true })
            log.LogWarning("The state store is unavailable ({Reason}): calls that count against a rolling total (limits' maxTotal) will be refused until it is fixed; everything else works.", store.Description);
        else if (options.Limits.Rules.Any(r => r.MaxTotal.Count > 0))
            log.LogInformation("Rolling totals of limits are kept in {Store}", store.Description);
        // Keys are scoped by the API key itself (its SHA-256, never the key), the account behind it unknown until asked.
        var keyScope = "key:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.ApiKey ?? "")))[..16];
        return new(options.Limits, store, new AccountScope(gateway).ForAsync, keyScope: keyScope);
    }

    /// <summary>
    /// The store for these options. The sandbox keeps its state in memory (a demo never counts against a
    /// real account's totals). Otherwise a SQLite file: opened at start-up when some limit has a maxTotal
    /// (so a problem is told at once), else on first use (an idempotency key), keeping start-up quick. A
    /// store that cannot be opened does not stop the server: it answers every use with why, so limited
    /// calls are refused (fail closed) and everything else goes on.
    /// </summary>
    public static async Task<ILedgerStore> OpenLedgerStoreAsync(ServerOptions options, CancellationToken ct)
    {
        if (options.Sandbox) return new MemoryLedgerStore(LimitLedger.LongestWindow(options.Limits));
        var path = options.StatePath ?? DefaultPath(Environment.GetEnvironmentVariable);
        var lazy = new LazyLedgerStore(path);
        if (options.Limits.Rules.Any(r => r.MaxTotal.Count > 0)) await lazy.OpenAsync(ct);
        return lazy;
    }
}

/// <summary>The SQLite store, opened when first needed; a file that cannot be opened is remembered as why.</summary>
public sealed class LazyLedgerStore(string path) : ILedgerStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ILedgerStore? _store;

    public string Description => _store?.Description ?? $"SQLite {path} (opened on first use)";
    public bool Durable => true;

    /// <summary>Whether opening failed (then <see cref="Description"/> says why).</summary>
    public bool Broken => _store is BrokenLedgerStore;

    public async Task<ILedgerStore> OpenAsync(CancellationToken ct)
    {
        if (_store is { } open) return open;
        await _gate.WaitAsync(ct);
        try
        {
            if (_store is { } raced) return raced;
            try
            {
                return _store = await SqliteLedgerStore.OpenAsync(path, ct);
            }
            catch (StateUnavailable e)
            {
                return _store = new BrokenLedgerStore(e.Message);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null) =>
        await (await OpenAsync(ct)).UsedAsync(scope, rule, currency, since, ct, except);
    public async Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null) =>
        await (await OpenAsync(ct)).ReserveAsync(scope, holds, tool, now, ct, id);
    public async Task SettleAsync(string id, CancellationToken ct) => await (await OpenAsync(ct)).SettleAsync(id, ct);
    public async Task ReleaseAsync(string id, CancellationToken ct) => await (await OpenAsync(ct)).ReleaseAsync(id, ct);
    public async Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => await (await OpenAsync(ct)).UncertainAsync(olderThan, ct);
    public async Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) =>
        await (await OpenAsync(ct)).ClaimKeyAsync(scope, key, fingerprint, tool, now, ct);
    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A store that could not be opened: every use says why.</summary>
public sealed class BrokenLedgerStore(string reason) : ILedgerStore
{
    public string Description => $"unavailable: {reason}";
    public bool Durable => true;
    private StateUnavailable Fail() => new(reason);
    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null) => throw Fail();
    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null) => throw Fail();
    public Task SettleAsync(string id, CancellationToken ct) => throw Fail();
    public Task ReleaseAsync(string id, CancellationToken ct) => throw Fail();
    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => throw Fail();
    public Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) => throw Fail();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
