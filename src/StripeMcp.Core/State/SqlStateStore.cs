using System.Data.Common;
using System.Runtime.CompilerServices;

namespace StripeMcp.State;

/// <summary>
/// The state store in SQL, one schema and one set of statements for SQLite and PostgreSQL. Each writer
/// runs in a transaction that first takes the lock of what it writes (<see cref="LockAsync"/>), so
/// processes sharing the database take turns where it matters: reservations of one scope, claims of one
/// key scope, appends to the audit chain.
/// </summary>
internal abstract class SqlStateStore : IStateStore
{
    /// <summary>1: ledger; 2: idempotency keys; 3: audit chain; 4: received events.</summary>
    public const int SchemaVersion = 5;
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    public abstract string Description { get; }

    public bool Durable => true;

    protected abstract Task<DbConnection> ConnectAsync(CancellationToken ct);

    /// <summary>Holds <paramref name="name"/>'s lock until <paramref name="tx"/> ends.</summary>
    protected abstract Task LockAsync(DbConnection c, DbTransaction tx, string name, CancellationToken ct);

    /// <summary>Whether an exception means the database failed (as opposed to a bug of ours).</summary>
    protected virtual bool IsFailure(Exception e) => e is DbException or TimeoutException or IOException;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE ledger (
          id TEXT NOT NULL, scope TEXT NOT NULL, rule TEXT NOT NULL, currency TEXT NOT NULL,
          amount BIGINT NOT NULL, at_ms BIGINT NOT NULL, pending BIGINT NOT NULL,
          tool TEXT NOT NULL, instance TEXT NOT NULL);
        CREATE INDEX ledger_total ON ledger (scope, rule, currency, at_ms);
        CREATE INDEX ledger_id ON ledger (id);
        """,
        """
        CREATE TABLE idempotency (
          scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, tool TEXT NOT NULL, at_ms BIGINT NOT NULL,
          PRIMARY KEY (scope, key));
        """,
        """
        CREATE TABLE audit (
          seq BIGINT NOT NULL PRIMARY KEY, at_ms BIGINT NOT NULL, record TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
        CREATE INDEX audit_at ON audit (at_ms);
        """,
        """
        CREATE TABLE received_events (
          id TEXT NOT NULL PRIMARY KEY, type TEXT NOT NULL, object_id TEXT, created_ms BIGINT NOT NULL, received_ms BIGINT NOT NULL, event TEXT NOT NULL);
        CREATE INDEX received_events_at ON received_events (received_ms);
        """,
        """
        CREATE TABLE webhook_secrets (
          endpoint TEXT NOT NULL PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, at_ms BIGINT NOT NULL);
        """,
    ];

    /// <summary>Creates the schema or brings it up to <see cref="SchemaVersion"/>, in one transaction under the schema's lock.</summary>
    protected async Task MigrateAsync(DbConnection c, string where, CancellationToken ct)
    {
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, "schema", ct);
        await Exec(c, tx, "CREATE TABLE IF NOT EXISTS stripe_mcp_schema (version BIGINT NOT NULL);", ct);
        var version = await Scalar(c, tx, "SELECT MAX(version) FROM stripe_mcp_schema;", ct) is { } v and not DBNull ? Convert.ToInt64(v) : 0;
        if (version > SchemaVersion)
            throw new StateUnavailable($"{where} has schema version {version}, newer than this stripe-mcp knows ({SchemaVersion}); upgrade stripe-mcp or use another state store");
        for (var next = version + 1; next <= SchemaVersion; next++)
        {
            await Exec(c, tx, Migrations[next - 1], ct);
            await Exec(c, tx, "INSERT INTO stripe_mcp_schema (version) VALUES (@v);", ct, ("v", next));
        }
        await tx.CommitAsync(ct);
    }

    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        return await Sum(c, null, scope, rule, currency, since, ct, except);
    });

    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        // The scope's lock is taken before the sums are read: a racing reservation waits, then sees this one.
        await LockAsync(c, tx, "ledger/" + scope, ct);
        // A retry of a call held within Stripe's replay window is held afresh (Stripe may apply it anew), under an id of its
        // own that is given back when Stripe replays; the first try counts in the totals unless its outcome is unknown yet.
        var retry = id is not null && Convert.ToInt64(await Scalar(c, tx, "SELECT COUNT(*) FROM ledger WHERE id = @id AND scope = @scope AND at_ms > @fresh;", ct,
            ("id", id), ("scope", scope), ("fresh", (now - KeyClaim.Replayable).ToUnixTimeMilliseconds()))) > 0;
        var unknown = retry ? id : null;
        if (retry) id = $"{id}+{Guid.NewGuid():N}";
        // Held before, longer ago than Stripe replays a key: the same call may be applied again, so it is held again.
        else if (id is not null && Convert.ToInt64(await Scalar(c, tx, "SELECT COUNT(*) FROM ledger WHERE id = @id AND scope = @scope;", ct, ("id", id), ("scope", scope))) > 0)
            id = $"{id}@{now.ToUnixTimeMilliseconds()}";
        foreach (var h in holds)
        {
            var used = await Sum(c, tx, scope, h.Rule, h.Currency, now - h.Window, ct, pendingOf: unknown);
            if (used + h.Amount > h.MaxTotal) return new ReserveResult(h, used, null);
        }
        id ??= Guid.NewGuid().ToString("N");
        foreach (var h in holds)
            await Exec(c, tx, "INSERT INTO ledger (id, scope, rule, currency, amount, at_ms, pending, tool, instance) VALUES (@id, @scope, @rule, @currency, @amount, @at, 1, @tool, @instance);", ct,
                ("id", id), ("scope", scope), ("rule", h.Rule), ("currency", h.Currency), ("amount", h.Amount), ("at", now.ToUnixTimeMilliseconds()), ("tool", tool), ("instance", _instance));
        await tx.CommitAsync(ct);
        return new ReserveResult(null, 0, id, Reused: retry);
    });

    /// <summary>pending: 1 in flight, 2 ended without an answer (both counted, outcome unknown), 0 answered.</summary>
    public Task SettleAsync(string scope, string id, CancellationToken ct) => Write("UPDATE ledger SET pending = 0 WHERE id = @id AND scope = @scope;", ct, ("id", id), ("scope", scope));

    public Task UnansweredAsync(string scope, string id, CancellationToken ct) => Write("UPDATE ledger SET pending = 2 WHERE id = @id AND scope = @scope AND pending = 1;", ct, ("id", id), ("scope", scope));

    public Task ReleaseAsync(string scope, string id, CancellationToken ct) => Write("DELETE FROM ledger WHERE id = @id AND scope = @scope;", ct, ("id", id), ("scope", scope));

    public Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, "keys/" + scope, ct);
        await Exec(c, tx, "DELETE FROM idempotency WHERE scope = @scope AND at_ms < @before;", ct, ("scope", scope), ("before", (now - KeyClaim.Retention).ToUnixTimeMilliseconds()));
        await using (var find = Command(c, tx, "SELECT fingerprint, tool, at_ms FROM idempotency WHERE scope = @scope AND key = @key;", ("scope", scope), ("key", key)))
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                var conflict = r.GetString(0) != fingerprint;
                return new KeyClaim(conflict, conflict ? r.GetString(1) : null, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)));
            }
        }
        await Exec(c, tx, "INSERT INTO idempotency (scope, key, fingerprint, tool, at_ms) VALUES (@scope, @key, @fingerprint, @tool, @at);", ct,
            ("scope", scope), ("key", key), ("fingerprint", fingerprint), ("tool", tool), ("at", now.ToUnixTimeMilliseconds()));
        await tx.CommitAsync(ct);
        return new KeyClaim(false, null, now);
    });

    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => Guard<IReadOnlyList<Uncertain>>(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var q = Command(c, null, "SELECT id, scope, rule, currency, amount, at_ms, tool, instance FROM ledger WHERE pending <> 0 AND at_ms < @before ORDER BY at_ms;",
            ("before", olderThan.ToUnixTimeMilliseconds()));
        var list = new List<Uncertain>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Uncertain(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetString(6), r.GetString(7)));
        return list;
    });

    public Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct) => Guard(async () =>
    {
        if (entries.Count == 0) return 0;
        await using var c = await ConnectAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, "audit", ct);
        long seq = 1;
        var prev = AuditChain.Genesis;
        await using (var last = Command(c, tx, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1;"))
        await using (var r = await last.ExecuteReaderAsync(ct))
            if (await r.ReadAsync(ct)) (seq, prev) = (r.GetInt64(0) + 1, r.GetString(1));
        foreach (var (json, at) in entries)
        {
            var hash = AuditChain.Hash(seq, prev, at, json);
            await Exec(c, tx, "INSERT INTO audit (seq, at_ms, record, prev, hash) VALUES (@seq, @at, @record, @prev, @hash);", ct,
                ("seq", seq), ("at", at.ToUnixTimeMilliseconds()), ("record", json), ("prev", prev), ("hash", hash));
            (seq, prev) = (seq + 1, hash);
        }
        await tx.CommitAsync(ct);
        return 0;
    });

    public async IAsyncEnumerable<AuditRecord> ReadAuditAsync(DateTimeOffset? since, [EnumeratorCancellation] CancellationToken ct)
    {
        // Read in pages, each its own query: a long export never holds a read open against the writers.
        long after = 0;
        var from = since?.ToUnixTimeMilliseconds() ?? long.MinValue;
        while (true)
        {
            var page = await Guard(async () =>
            {
                await using var c = await ConnectAsync(ct);
                await using var q = Command(c, null, "SELECT seq, at_ms, record, prev, hash FROM audit WHERE seq > @after AND at_ms >= @from ORDER BY seq LIMIT 1000;", ("after", after), ("from", from));
                var list = new List<AuditRecord>();
                await using var r = await q.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                    list.Add(new AuditRecord(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4)));
                return list;
            });
            foreach (var record in page) yield return record;
            if (page.Count < 1000) yield break;
            after = page[^1].Seq;
        }
    }

    public Task<bool> RecordEventAsync(ReceivedEvent e, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, "events", ct);
        if (Convert.ToInt64(await Scalar(c, tx, "SELECT COUNT(*) FROM received_events WHERE id = @id;", ct, ("id", e.Id))) > 0) return false;
        await Exec(c, tx, "INSERT INTO received_events (id, type, object_id, created_ms, received_ms, event) VALUES (@id, @type, @object, @created, @received, @event);", ct,
            ("id", e.Id), ("type", e.Type), ("object", (object?)e.ObjectId ?? DBNull.Value), ("created", e.Created.ToUnixTimeMilliseconds()),
            ("received", e.Received.ToUnixTimeMilliseconds()), ("event", e.Json));
        await tx.CommitAsync(ct);
        return true;
    });

    public Task<IReadOnlyList<ReceivedEvent>> ReceivedEventsAsync(string? type, string? objectId, DateTimeOffset? since, int limit, CancellationToken ct) => Guard<IReadOnlyList<ReceivedEvent>>(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var q = Command(c, null,
            "SELECT id, type, object_id, created_ms, received_ms, event FROM received_events WHERE (@type = '' OR type = @type) AND (@object = '' OR object_id = @object) AND received_ms >= @since ORDER BY received_ms DESC, id LIMIT @limit;",
            ("type", type ?? ""), ("object", objectId ?? ""), ("since", since?.ToUnixTimeMilliseconds() ?? 0L), ("limit", (long)limit));
        var list = new List<ReceivedEvent>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ReceivedEvent(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.GetString(5)));
        return list;
    });

    public Task KeepWebhookSecretAsync(KeptSecret kept, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await LockAsync(c, tx, "webhook_secrets", ct);
        await Exec(c, tx, "DELETE FROM webhook_secrets WHERE endpoint = @endpoint;", ct, ("endpoint", kept.Endpoint));
        await Exec(c, tx, "INSERT INTO webhook_secrets (endpoint, url, secret, at_ms) VALUES (@endpoint, @url, @secret, @at);", ct,
            ("endpoint", kept.Endpoint), ("url", kept.Url), ("secret", kept.Secret), ("at", kept.At.ToUnixTimeMilliseconds()));
        await tx.CommitAsync(ct);
        return 0;
    });

    public Task<bool> ForgetWebhookSecretAsync(string endpoint, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var q = Command(c, null, "DELETE FROM webhook_secrets WHERE endpoint = @endpoint;", ("endpoint", endpoint));
        return await q.ExecuteNonQueryAsync(ct) > 0;
    });

    public Task<IReadOnlyList<KeptSecret>> WebhookSecretsAsync(CancellationToken ct) => Guard<IReadOnlyList<KeptSecret>>(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var q = Command(c, null, "SELECT endpoint, url, secret, at_ms FROM webhook_secrets ORDER BY at_ms DESC;");
        var list = new List<KeptSecret>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(new KeptSecret(r.GetString(0), r.GetString(1), r.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
        return list;
    });

    private Task Write(string sql, CancellationToken ct, params (string Name, object Value)[] args) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await Exec(c, null, sql, ct, args);
        return 0;
    });

    /// <param name="except">A reservation left out of the sum (the call asking again).</param>
    /// <param name="pendingOf">A reservation left out if it ended unanswered (a first try whose retry this is: its outcome is unknown).</param>
    private static async Task<long> Sum(DbConnection c, DbTransaction? tx, string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null, string? pendingOf = null) =>
        Convert.ToInt64(await Scalar(c, tx, "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM ledger WHERE scope = @scope AND rule = @rule AND currency = @currency AND at_ms > @since AND id <> @except AND NOT (id = @pending AND pending = 2);", ct,
            ("scope", scope), ("rule", rule), ("currency", currency), ("since", since.ToUnixTimeMilliseconds()), ("except", except ?? ""), ("pending", pendingOf ?? "")));

    protected static DbCommand Command(DbConnection c, DbTransaction? tx, string sql, params (string Name, object Value)[] args)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in args)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            cmd.Parameters.Add(p);
        }
        return cmd;
    }

    protected static async Task Exec(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    protected static async Task<object?> Scalar(DbConnection c, DbTransaction? tx, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = Command(c, tx, sql, args);
        return await cmd.ExecuteScalarAsync(ct);
    }

    private async Task<T> Guard<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when (IsFailure(e))
        {
            throw new StateUnavailable($"the state store ({Description}) failed: {Failure(e)}", e);
        }
    }

    /// <summary>What went wrong, in words safe to show (never a connection string).</summary>
    protected virtual string Failure(Exception e) => e.Message;

    public abstract ValueTask DisposeAsync();
}
