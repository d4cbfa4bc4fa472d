namespace StripeMcp.State;

/// <summary>State of this process only: for --sandbox (a demo never counts against a real account) and tests.</summary>
internal sealed class MemoryStateStore : IStateStore
{
    private sealed record Row(string Id, string Scope, Hold Hold, DateTimeOffset At, string Tool)
    {
        public bool Pending { get; set; } = true;

        /// <summary>The call ended without Stripe's answer (still pending: outcome unknown).</summary>
        public bool Unanswered { get; set; }
    }

    private readonly List<Row> _rows = [];
    private readonly Dictionary<(string Scope, string Key), (string Fingerprint, string Tool, DateTimeOffset At)> _keys = [];
    private readonly List<AuditRecord> _audit = [];
    private readonly TimeSpan _keep;

    /// <param name="keep">How long a row can matter: the longest window of any rule.</param>
    public MemoryStateStore(TimeSpan keep) => _keep = keep;

    public string Description => "in memory (this process only)";

    public bool Durable => false;

    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null)
    {
        lock (_rows) return Task.FromResult(Sum(scope, rule, currency, since, except));
    }

    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null)
    {
        lock (_rows)
        {
            // A retry within Stripe's replay window: held afresh under its own id (given back on a replay); the first try counts unless still pending.
            var retry = id is not null && _rows.Any(r => r.Id == id && r.Scope == scope && now - r.At < KeyClaim.Replayable);
            var unknown = retry ? id : null;
            if (retry) id = $"{id}+{Guid.NewGuid():N}";
            else if (id is not null && _rows.Any(r => r.Id == id && r.Scope == scope)) id = $"{id}@{now.ToUnixTimeMilliseconds()}";
            foreach (var h in holds)
            {
                var used = Sum(scope, h.Rule, h.Currency, now - h.Window, pendingOf: unknown);
                if (used + h.Amount > h.MaxTotal) return Task.FromResult(new ReserveResult(h, used, null));
            }
            _rows.RemoveAll(r => now - r.At >= _keep);
            id ??= Guid.NewGuid().ToString("N");
            _rows.AddRange(holds.Select(h => new Row(id, scope, h, now, tool)));
            return Task.FromResult(new ReserveResult(null, 0, id, Reused: retry));
        }
    }

    public Task SettleAsync(string scope, string id, CancellationToken ct)
    {
        lock (_rows) foreach (var r in _rows.Where(r => r.Id == id && r.Scope == scope)) r.Pending = false;
        return Task.CompletedTask;
    }

    public Task UnansweredAsync(string scope, string id, CancellationToken ct)
    {
        lock (_rows) foreach (var r in _rows.Where(r => r.Id == id && r.Scope == scope && r.Pending)) r.Unanswered = true;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string scope, string id, CancellationToken ct)
    {
        lock (_rows) _rows.RemoveAll(r => r.Id == id && r.Scope == scope);
        return Task.CompletedTask;
    }

    public Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct)
    {
        lock (_keys)
        {
            foreach (var old in _keys.Where(k => now - k.Value.At > KeyClaim.Retention).Select(k => k.Key).ToList()) _keys.Remove(old);
            if (_keys.TryGetValue((scope, key), out var first))
                return Task.FromResult(new KeyClaim(first.Fingerprint != fingerprint, first.Fingerprint != fingerprint ? first.Tool : null, first.At));
            _keys[(scope, key)] = (fingerprint, tool, now);
            return Task.FromResult(new KeyClaim(false, null, now));
        }
    }

    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        lock (_rows)
            return Task.FromResult<IReadOnlyList<Uncertain>>(_rows.Where(r => r.Pending && r.At < olderThan)
                .Select(r => new Uncertain(r.Id, r.Scope, r.Hold.Rule, r.Hold.Currency, r.Hold.Amount, r.At, r.Tool, "this process")).ToList());
    }

    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct)
    {
        lock (_audit)
        {
            foreach (var (json, at) in entries)
            {
                var (seq, prev) = _audit.Count == 0 ? (1L, AuditChain.Genesis) : (_audit[^1].Seq + 1, _audit[^1].Hash);
                _audit.Add(new AuditRecord(seq, at, json, prev, AuditChain.Hash(seq, prev, at, json)));
            }
            if (_audit.Count > 10_000) _audit.RemoveRange(0, 1_000); // a long demo keeps its recent events, not all

        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync(DateTimeOffset? since, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        List<AuditRecord> copy;
        lock (_audit) copy = _audit.Where(r => since is null || r.At >= since).ToList();
        foreach (var r in copy)
        {
            ct.ThrowIfCancellationRequested();
            yield return r;
        }
        await Task.CompletedTask;
    }

    private long Sum(string scope, string rule, string currency, DateTimeOffset since, string? except = null, string? pendingOf = null) =>
        _rows.Where(r => r.Scope == scope && r.Hold.Rule == rule && r.Hold.Currency == currency && r.At > since && r.Id != except && !(r.Id == pendingOf && r.Pending && r.Unanswered)).Sum(r => r.Hold.Amount);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private readonly List<ReceivedEvent> _events = [];

    public Task<bool> RecordEventAsync(ReceivedEvent e, CancellationToken ct)
    {
        lock (_events)
        {
            if (_events.Any(x => x.Id == e.Id)) return Task.FromResult(false);
            _events.Add(e);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<ReceivedEvent>> ReceivedEventsAsync(string? type, string? objectId, DateTimeOffset? since, int limit, CancellationToken ct)
    {
        lock (_events)
            return Task.FromResult<IReadOnlyList<ReceivedEvent>>([.. Enumerable.Reverse(_events)
                .Where(e => (type is null || e.Type == type) && (objectId is null || e.ObjectId == objectId) && (since is null || e.Received >= since))
                .Take(limit)]);
    }

    private readonly Dictionary<string, KeptSecret> _secrets = [];

    public Task KeepWebhookSecretAsync(KeptSecret kept, CancellationToken ct)
    {
        lock (_secrets) _secrets[kept.Endpoint] = kept;
        return Task.CompletedTask;
    }

    public Task<bool> ForgetWebhookSecretAsync(string endpoint, CancellationToken ct)
    {
        lock (_secrets) return Task.FromResult(_secrets.Remove(endpoint));
    }

    public Task<IReadOnlyList<KeptSecret>> WebhookSecretsAsync(CancellationToken ct)
    {
        lock (_secrets) return Task.FromResult<IReadOnlyList<KeptSecret>>([.. _secrets.Values.OrderByDescending(k => k.At)]);
    }
}
