namespace StripeMcp.State;

/// <summary>Totals in this process only: for --sandbox (a demo never counts against a real account) and tests.</summary>
public sealed class MemoryLedgerStore : ILedgerStore
{
    private sealed record Row(string Id, string Scope, Hold Hold, DateTimeOffset At, string Tool)
    {
        public bool Pending { get; set; } = true;
    }

    private readonly List<Row> _rows = [];
    private readonly TimeSpan _keep;

    /// <param name="keep">How long a row can matter: the longest window of any rule.</param>
    public MemoryLedgerStore(TimeSpan keep) => _keep = keep;

    public string Description => "in memory (this process only)";

    public bool Durable => false;

    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct)
    {
        lock (_rows) return Task.FromResult(Sum(scope, rule, currency, since));
    }

    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct)
    {
        lock (_rows)
        {
            foreach (var h in holds)
            {
                var used = Sum(scope, h.Rule, h.Currency, now - h.Window);
                if (used + h.Amount > h.MaxTotal) return Task.FromResult(new ReserveResult(h, used, null));
            }
            _rows.RemoveAll(r => now - r.At >= _keep);
            var id = Guid.NewGuid().ToString("N");
            _rows.AddRange(holds.Select(h => new Row(id, scope, h, now, tool)));
            return Task.FromResult(new ReserveResult(null, 0, id));
        }
    }

    public Task SettleAsync(string id, CancellationToken ct)
    {
        lock (_rows) foreach (var r in _rows.Where(r => r.Id == id)) r.Pending = false;
        return Task.CompletedTask;
    }

    public Task ReleaseAsync(string id, CancellationToken ct)
    {
        lock (_rows) _rows.RemoveAll(r => r.Id == id);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct)
    {
        lock (_rows)
            return Task.FromResult<IReadOnlyList<Uncertain>>(_rows.Where(r => r.Pending && r.At < olderThan)
                .Select(r => new Uncertain(r.Id, r.Scope, r.Hold.Rule, r.Hold.Currency, r.Hold.Amount, r.At, r.Tool, "this process")).ToList());
    }

    private long Sum(string scope, string rule, string currency, DateTimeOffset since) =>
        _rows.Where(r => r.Scope == scope && r.Hold.Rule == rule && r.Hold.Currency == currency && r.At > since).Sum(r => r.Hold.Amount);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
