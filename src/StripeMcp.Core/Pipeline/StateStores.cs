using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.State;

namespace StripeMcp.Pipeline;

/// <summary>Which store a server uses, and where the default one lives.</summary>
internal static class StateStores
{
    /// <summary>The limit ledger of a server: its store, and totals scoped by the account behind the key.</summary>
    public static async Task<LimitLedger> OpenLedgerAsync(ServerOptions options, Stripe.StripeGateway gateway, ILogger log, CancellationToken ct)
    {
        var store = await OpenStoreAsync(options, ct);
        if (store is LazyStateStore { Broken: true })
            log.LogWarning("The state store is unavailable ({Reason}): calls that count against a rolling total (limits' maxTotal) will be refused until it is fixed; everything else works.", store.Description);
        else if (options.Limits.Rules.Any(r => r.MaxTotal.Count > 0))
        {
            log.LogInformation("Rolling totals of limits are kept in {Store}", store.Description);
            var uncertain = await store.UncertainAsync(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(5), ct);
            if (uncertain.Count > 0)
                log.LogWarning("{Count} earlier call(s) never reported back (a server stopped mid-call, or Stripe's answer was lost): their amounts stay counted against the totals; `stripe-mcp audit uncertain` lists them",
                    uncertain.Select(u => u.Id).Distinct().Count());
        }
        // Keys are scoped by the API key itself (its SHA-256, never the key), the account behind it unknown until asked;
        // hashed when first needed, so a server that never claims a key never loads the crypto library.
        return new(options.Limits, store, new AccountScope(gateway).ForAsync,
            keyScope: () => "key:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.ApiKey ?? "")))[..16]);
    }

    /// <summary>
    /// The store for these options. The sandbox keeps its state in memory (a demo never counts against a
    /// real account's totals). Otherwise PostgreSQL when one is named (state.postgres, STRIPE_MCP_POSTGRES),
    /// else a SQLite file: opened at start-up when some limit has a maxTotal (so a problem is told at once),
    /// else on first use, keeping start-up quick. A store that cannot be opened does not stop the server:
    /// it answers every use with why, so limited calls are refused (fail closed) and everything else goes on.
    /// </summary>
    public static async Task<IStateStore> OpenStoreAsync(ServerOptions options, CancellationToken ct)
    {
        if (options.Sandbox) return new MemoryStateStore(LimitLedger.LongestWindow(options.Limits));
        var lazy = Open(options);
        if (options.Limits.Rules.Any(r => r.MaxTotal.Count > 0)) await lazy.OpenAsync(ct);
        return lazy;
    }

    /// <summary>The durable store these options name, not yet opened (the audit commands use it as the server does).</summary>
    public static LazyStateStore Open(ServerOptions options)
    {
        if (options.StatePostgres is { } connection)
        {
            var from = options.StatePostgresFrom ?? "state.postgres";
            return new LazyStateStore("PostgreSQL (" + from + ")", ct => Opened(PostgresStateStore.OpenAsync(connection, from, ct)));
        }
        var path = options.StatePath ?? ServerOptions.DefaultStatePath(Environment.GetEnvironmentVariable);
        return new LazyStateStore($"SQLite {path}", ct => Opened(SqliteStateStore.OpenAsync(path, ct)));
    }

    private static async Task<IStateStore> Opened<T>(Task<T> opening) where T : IStateStore => await opening;
}

/// <summary>A durable store, opened when first needed; one that cannot be opened is remembered as why.</summary>
internal sealed class LazyStateStore(string name, Func<CancellationToken, Task<IStateStore>> open) : IStateStore
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IStateStore? _store;

    public string Description => _store?.Description ?? $"{name} (opened on first use)";
    public bool Durable => true;

    /// <summary>Whether opening failed (then <see cref="Description"/> says why).</summary>
    public bool Broken => _store is BrokenStateStore;

    public async Task<IStateStore> OpenAsync(CancellationToken ct)
    {
        if (_store is { } opened) return opened;
        await _gate.WaitAsync(ct);
        try
        {
            if (_store is { } raced) return raced;
            try
            {
                return _store = await open(ct);
            }
            catch (StateUnavailable e)
            {
                return _store = new BrokenStateStore(e.Message);
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
    public async Task SettleAsync(string scope, string id, CancellationToken ct) => await (await OpenAsync(ct)).SettleAsync(scope, id, ct);
    public async Task ReleaseAsync(string scope, string id, CancellationToken ct) => await (await OpenAsync(ct)).ReleaseAsync(scope, id, ct);
    public async Task UnansweredAsync(string scope, string id, CancellationToken ct) => await (await OpenAsync(ct)).UnansweredAsync(scope, id, ct);
    public async Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => await (await OpenAsync(ct)).UncertainAsync(olderThan, ct);
    public async Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) =>
        await (await OpenAsync(ct)).ClaimKeyAsync(scope, key, fingerprint, tool, now, ct);
    public async Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct) => await (await OpenAsync(ct)).AppendAuditAsync(entries, ct);
    public async Task<bool> RecordEventAsync(ReceivedEvent e, CancellationToken ct) => await (await OpenAsync(ct)).RecordEventAsync(e, ct);
    public async Task<IReadOnlyList<ReceivedEvent>> ReceivedEventsAsync(string? type, string? objectId, DateTimeOffset? since, int limit, CancellationToken ct) =>
        await (await OpenAsync(ct)).ReceivedEventsAsync(type, objectId, since, limit, ct);
    public async Task KeepWebhookSecretAsync(KeptSecret kept, CancellationToken ct) => await (await OpenAsync(ct)).KeepWebhookSecretAsync(kept, ct);
    public async Task<bool> ForgetWebhookSecretAsync(string endpoint, CancellationToken ct) => await (await OpenAsync(ct)).ForgetWebhookSecretAsync(endpoint, ct);
    public async Task<IReadOnlyList<KeptSecret>> WebhookSecretsAsync(CancellationToken ct) => await (await OpenAsync(ct)).WebhookSecretsAsync(ct);
    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync(DateTimeOffset? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var r in (await OpenAsync(ct)).ReadAuditAsync(since, ct)) yield return r;
    }
    public ValueTask DisposeAsync() => _store?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>A store that could not be opened: every use says why.</summary>
internal sealed class BrokenStateStore(string reason) : IStateStore
{
    public string Description => $"unavailable: {reason}";
    public bool Durable => true;
    private StateUnavailable Fail() => new(reason);
    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null) => throw Fail();
    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null) => throw Fail();
    public Task SettleAsync(string scope, string id, CancellationToken ct) => throw Fail();
    public Task ReleaseAsync(string scope, string id, CancellationToken ct) => throw Fail();
    public Task UnansweredAsync(string scope, string id, CancellationToken ct) => throw Fail();
    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => throw Fail();
    public Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) => throw Fail();
    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct) => throw Fail();
    public IAsyncEnumerable<AuditRecord> ReadAuditAsync(DateTimeOffset? since, CancellationToken ct) => throw Fail();
    public Task<bool> RecordEventAsync(ReceivedEvent e, CancellationToken ct) => throw Fail();
    public Task<IReadOnlyList<ReceivedEvent>> ReceivedEventsAsync(string? type, string? objectId, DateTimeOffset? since, int limit, CancellationToken ct) => throw Fail();
    public Task KeepWebhookSecretAsync(KeptSecret kept, CancellationToken ct) => throw Fail();
    public Task<bool> ForgetWebhookSecretAsync(string endpoint, CancellationToken ct) => throw Fail();
    public Task<IReadOnlyList<KeptSecret>> WebhookSecretsAsync(CancellationToken ct) => throw Fail();
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
