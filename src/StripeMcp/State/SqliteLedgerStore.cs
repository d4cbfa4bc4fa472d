using Microsoft.Data.Sqlite;

namespace StripeMcp.State;

/// <summary>
/// The default store: one SQLite file in the user's state directory, shared by every server process
/// of that user (Claude Desktop starts one per session). A reservation is one IMMEDIATE transaction, so
/// processes racing on the same file take turns; WAL lets readers go on meanwhile.
/// </summary>
public sealed class SqliteLedgerStore : ILedgerStore
{
    public const int SchemaVersion = 2;
    private readonly string _connectionString;
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}";

    public string Description { get; }

    public bool Durable => true;

    private SqliteLedgerStore(string path)
    {
        Description = $"SQLite {path}";
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>Opens (creating or migrating) the file; a problem is <see cref="StateUnavailable"/> naming the path.</summary>
    public static async Task<SqliteLedgerStore> OpenAsync(string path, CancellationToken ct)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var store = new SqliteLedgerStore(path);
            await using var c = await store.ConnectAsync(ct);
            await Exec(c, null, "PRAGMA journal_mode=WAL;", ct);
            await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
            await Exec(c, tx, "CREATE TABLE IF NOT EXISTS stripe_mcp_schema (version INTEGER NOT NULL);", ct);
            var version = await Scalar(c, tx, "SELECT MAX(version) FROM stripe_mcp_schema;", ct) is long v ? v : 0;
            if (version > SchemaVersion)
                throw new StateUnavailable($"the state file {path} has schema version {version}, newer than this stripe-mcp knows ({SchemaVersion}); upgrade stripe-mcp or point --state elsewhere");
            if (version < 1)
            {
                await Exec(c, tx, """
                    CREATE TABLE ledger (
                      id TEXT NOT NULL, scope TEXT NOT NULL, rule TEXT NOT NULL, currency TEXT NOT NULL,
                      amount INTEGER NOT NULL, at_ms INTEGER NOT NULL, pending INTEGER NOT NULL,
                      tool TEXT NOT NULL, instance TEXT NOT NULL);
                    CREATE INDEX ledger_total ON ledger (scope, rule, currency, at_ms);
                    CREATE INDEX ledger_id ON ledger (id);
                    INSERT INTO stripe_mcp_schema (version) VALUES (1);
                    """, ct);
            }
            if (version < 2)
            {
                await Exec(c, tx, """
                    CREATE TABLE idempotency (
                      scope TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, tool TEXT NOT NULL, at_ms INTEGER NOT NULL,
                      PRIMARY KEY (scope, key));
                    INSERT INTO stripe_mcp_schema (version) VALUES (2);
                    """, ct);
            }
            await tx.CommitAsync(ct);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StateUnavailable($"the state file {path} cannot be opened: {e.Message}", e);
        }
    }

    public Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        return await Sum(c, null, scope, rule, currency, since, ct, except);
    });

    public Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        // Microsoft.Data.Sqlite begins IMMEDIATE: the write lock is taken before the sums are read.
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        if (id is not null)
        {
            await using var held = Command(c, tx, "SELECT COUNT(*) FROM ledger WHERE id = $id AND scope = $scope;");
            held.Parameters.AddWithValue("$id", id);
            held.Parameters.AddWithValue("$scope", scope);
            if ((long)(await held.ExecuteScalarAsync(ct))! > 0) return new ReserveResult(null, 0, id);
        }
        foreach (var h in holds)
        {
            var used = await Sum(c, tx, scope, h.Rule, h.Currency, now - h.Window, ct);
            if (used + h.Amount > h.MaxTotal) return new ReserveResult(h, used, null);
        }
        id ??= Guid.NewGuid().ToString("N");
        foreach (var h in holds)
        {
            await using var insert = Command(c, tx, "INSERT INTO ledger (id, scope, rule, currency, amount, at_ms, pending, tool, instance) VALUES ($id, $scope, $rule, $currency, $amount, $at, 1, $tool, $instance);");
            insert.Parameters.AddWithValue("$id", id);
            insert.Parameters.AddWithValue("$scope", scope);
            insert.Parameters.AddWithValue("$rule", h.Rule);
            insert.Parameters.AddWithValue("$currency", h.Currency);
            insert.Parameters.AddWithValue("$amount", h.Amount);
            insert.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
            insert.Parameters.AddWithValue("$tool", tool);
            insert.Parameters.AddWithValue("$instance", _instance);
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return new ReserveResult(null, 0, id);
    });

    public Task SettleAsync(string id, CancellationToken ct) => ById("UPDATE ledger SET pending = 0 WHERE id = $id;", id, ct);

    public Task ReleaseAsync(string id, CancellationToken ct) => ById("DELETE FROM ledger WHERE id = $id;", id, ct);

    public Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(ct);
        await using (var prune = Command(c, tx, "DELETE FROM idempotency WHERE at_ms < $before;"))
        {
            prune.Parameters.AddWithValue("$before", (now - KeyClaim.Retention).ToUnixTimeMilliseconds());
            await prune.ExecuteNonQueryAsync(ct);
        }
        await using var find = Command(c, tx, "SELECT fingerprint, tool, at_ms FROM idempotency WHERE scope = $scope AND key = $key;");
        find.Parameters.AddWithValue("$scope", scope);
        find.Parameters.AddWithValue("$key", key);
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                var conflict = r.GetString(0) != fingerprint;
                return new KeyClaim(conflict, conflict ? r.GetString(1) : null, DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)));
            }
        }
        await using var insert = Command(c, tx, "INSERT INTO idempotency (scope, key, fingerprint, tool, at_ms) VALUES ($scope, $key, $fingerprint, $tool, $at);");
        insert.Parameters.AddWithValue("$scope", scope);
        insert.Parameters.AddWithValue("$key", key);
        insert.Parameters.AddWithValue("$fingerprint", fingerprint);
        insert.Parameters.AddWithValue("$tool", tool);
        insert.Parameters.AddWithValue("$at", now.ToUnixTimeMilliseconds());
        await insert.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return new KeyClaim(false, null, now);
    });

    public Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct) => Guard<IReadOnlyList<Uncertain>>(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var q = Command(c, null, "SELECT id, scope, rule, currency, amount, at_ms, tool, instance FROM ledger WHERE pending = 1 AND at_ms < $before ORDER BY at_ms;");
        q.Parameters.AddWithValue("$before", olderThan.ToUnixTimeMilliseconds());
        var list = new List<Uncertain>();
        await using var r = await q.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new Uncertain(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64(4), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)), r.GetString(6), r.GetString(7)));
        return list;
    });

    private Task ById(string sql, string id, CancellationToken ct) => Guard(async () =>
    {
        await using var c = await ConnectAsync(ct);
        await using var cmd = Command(c, null, sql);
        cmd.Parameters.AddWithValue("$id", id);
        return await cmd.ExecuteNonQueryAsync(ct);
    });

    private static async Task<long> Sum(SqliteConnection c, SqliteTransaction? tx, string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null)
    {
        await using var q = Command(c, tx, "SELECT COALESCE(SUM(amount), 0) FROM ledger WHERE scope = $scope AND rule = $rule AND currency = $currency AND at_ms > $since AND id <> $except;");
        q.Parameters.AddWithValue("$except", except ?? "");
        q.Parameters.AddWithValue("$scope", scope);
        q.Parameters.AddWithValue("$rule", rule);
        q.Parameters.AddWithValue("$currency", currency);
        q.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        return (long)(await q.ExecuteScalarAsync(ct))!;
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    private static SqliteCommand Command(SqliteConnection c, SqliteTransaction? tx, string sql)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        return cmd;
    }

    private static async Task Exec(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> Scalar(SqliteConnection c, SqliteTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(c, tx, sql);
        return await cmd.ExecuteScalarAsync(ct);
    }

    private async Task<T> Guard<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (SqliteException e)
        {
            throw new StateUnavailable($"the state store ({Description}) failed: {e.Message}", e);
        }
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
