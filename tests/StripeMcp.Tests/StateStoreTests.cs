using Npgsql;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The durable stores themselves (SQLite file, real PostgreSQL server): shared by several openers as
/// several processes would share them, totals and the audit chain stay one under contention, and the
/// chain shows any edit, removal or reordering.
/// </summary>
public sealed class StateStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Durable => ["sqlite", "postgres"];

    /// <summary>Two stores on the same database, as two server processes open it.</summary>
    private static async Task<(IStateStore A, IStateStore B, string Where)> Twice(string kind)
    {
        if (kind == "sqlite")
        {
            var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db");
            return (await SqliteStateStore.OpenAsync(path, None), await SqliteStateStore.OpenAsync(path, None), path);
        }
        var connection = await PostgresServer.NewDatabaseAsync();
        return (await PostgresStateStore.OpenAsync(connection, "test", None), await PostgresStateStore.OpenAsync(connection, "test", None), connection);
    }

    [Theory, MemberData(nameof(Durable))]
    public async Task A_received_event_is_kept_once_whoever_races_to_keep_it_and_is_found_by_type_object_and_time(string kind)
    {
        var (a, b, _) = await Twice(kind);
        var at = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        ReceivedEvent E(string id, string type, string obj, int minutes) => new(id, type, obj, at, at.AddMinutes(minutes), $$"""{"id":"{{id}}","type":"{{type}}"}""");
        // The same delivery arriving at two instances at once (a retry racing the first attempt): one keeps it.
        var kept = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).RecordEventAsync(E("evt_1", "invoice.paid", "in_1", 0), None))));
        Assert.Equal(1, kept.Count(k => k));
        Assert.True(await a.RecordEventAsync(E("evt_2", "invoice.payment_failed", "in_2", 5), None));
        Assert.True(await b.RecordEventAsync(E("evt_3", "invoice.paid", "in_2", 10), None));

        Assert.Equal(["evt_3", "evt_2", "evt_1"], (await a.ReceivedEventsAsync(null, null, null, 10, None)).Select(e => e.Id));
        Assert.Equal(["evt_3", "evt_1"], (await b.ReceivedEventsAsync("invoice.paid", null, null, 10, None)).Select(e => e.Id));
        Assert.Equal(["evt_3", "evt_2"], (await a.ReceivedEventsAsync(null, "in_2", null, 10, None)).Select(e => e.Id));
        Assert.Equal(["evt_3"], (await a.ReceivedEventsAsync(null, null, at.AddMinutes(6), 10, None)).Select(e => e.Id));
        Assert.Single(await a.ReceivedEventsAsync(null, null, null, 1, None));
        await a.DisposeAsync();
        await b.DisposeAsync();
    }

    [Theory, MemberData(nameof(Durable))]
    public async Task Totals_are_shared_by_every_opener_and_racing_callers_never_overdraw_them(string kind)
    {
        var (a, b, _) = await Twice(kind);
        var first = LimitLedgerTests.Ledger(a, TimeSpan.FromHours(1));
        var second = LimitLedgerTests.Ledger(b, TimeSpan.FromHours(1));
        await LimitLedgerTests.Ask(first, 700);
        Assert.Contains("already used 700", (await LimitLedgerTests.Ask(second, 400)).Violation?.Message);
        // 40 racing 10s for the last 300 across both: exactly 30 get it.
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(() => LimitLedgerTests.Ask(i % 2 == 0 ? first : second, 10))));
        Assert.Equal(30, results.Count(r => r.Violation is null));
        Assert.NotNull((await LimitLedgerTests.Ask(first, 1, reserve: false)).Violation);
    }

    [Theory, MemberData(nameof(Durable))]
    public async Task The_audit_chain_has_one_order_when_several_openers_append_at_once(string kind)
    {
        var (a, b, _) = await Twice(kind);
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => (i % 2 == 0 ? a : b).AppendAuditAsync([new AuditEntry($$"""{"n":{{i}}}""", DateTimeOffset.UtcNow)], None))));
        var (count, last, broken) = await AuditChain.VerifyAsync(b.ReadAuditAsync(null, None), None);
        Assert.Null(broken);
        Assert.Equal(60, count);
        var all = await ToList(a.ReadAuditAsync(null, None));
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), all.Select(r => r.Seq));
        Assert.Equal(all[^1].Hash, last);
        Assert.Equal(60, all.Select(r => r.Json).Distinct().Count());
    }

    [Theory, MemberData(nameof(Durable))]
    public async Task Since_reads_the_chain_from_a_time_on(string kind)
    {
        var (a, _, _) = await Twice(kind);
        var t0 = DateTimeOffset.UtcNow;
        await a.AppendAuditAsync([new AuditEntry("""{"n":1}""", t0 - TimeSpan.FromHours(2)), new AuditEntry("""{"n":2}""", t0)], None);
        Assert.Equal([2L], (await ToList(a.ReadAuditAsync(t0 - TimeSpan.FromHours(1), None))).Select(r => r.Seq));
    }

    [Fact]
    public async Task A_PostgreSQL_chain_edited_in_the_database_is_caught_at_the_first_changed_record()
    {
        var connection = await PostgresServer.NewDatabaseAsync();
        var store = await PostgresStateStore.OpenAsync(connection, "test", None);
        await store.AppendAuditAsync(Enumerable.Range(1, 5).Select(i => new AuditEntry($$"""{"n":{{i}},"amount":100}""", DateTimeOffset.UtcNow)).ToList(), None);
        await using (var c = new NpgsqlConnection(connection))
        {
            await c.OpenAsync();
            await using var edit = new NpgsqlCommand("""UPDATE audit SET record = replace(record, '100', '1') WHERE seq = 3;""", c);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }
        var (count, _, broken) = await AuditChain.VerifyAsync(store.ReadAuditAsync(null, None), None);
        Assert.Equal(3, broken?.Seq);
        Assert.Contains("edited", broken!.Problem);
        Assert.Equal(2, count);
    }

    [Fact]
    public async Task A_PostgreSQL_store_that_cannot_be_reached_or_named_says_so_without_the_password()
    {
        var unreachable = $"Host=127.0.0.1;Port={FreePort()};Database=x;Username=u;Password=very-secret-pw;Timeout=2";
        var e = await Assert.ThrowsAsync<StateUnavailable>(() => PostgresStateStore.OpenAsync(unreachable, "STRIPE_MCP_POSTGRES", None));
        Assert.Contains("PostgreSQL 127.0.0.1:", e.Message);
        Assert.DoesNotContain("very-secret-pw", e.Message);

        var wrong = new NpgsqlConnectionStringBuilder(await PostgresServer.NewDatabaseAsync()) { Password = "not-the-password-either" }.ToString();
        e = await Assert.ThrowsAsync<StateUnavailable>(() => PostgresStateStore.OpenAsync(wrong, "STRIPE_MCP_POSTGRES", None));
        Assert.Contains("28P01", e.Message); // password authentication failed
        Assert.DoesNotContain("not-the-password-either", e.Message);

        var bad = Assert.Throws<StateUnavailable>(() => PostgresStateStore.Parse("Hots=db;Password=pw-in-a-typo", "state.postgres"));
        Assert.StartsWith("state.postgres is not a PostgreSQL connection string", bad.Message);
        Assert.DoesNotContain("pw-in-a-typo", bad.Message);
        Assert.Contains("names no Host", Assert.Throws<StateUnavailable>(() => PostgresStateStore.Parse("Database=x", "state.postgres")).Message);

        var uri = PostgresStateStore.Parse("postgres://app:p%40ss@db.internal:6432/stripe_mcp?sslmode=require", "STRIPE_MCP_POSTGRES");
        Assert.Equal(("db.internal", 6432, "stripe_mcp", "app", "p@ss", Npgsql.SslMode.Require), (uri.Host, uri.Port, uri.Database, uri.Username, uri.Password, uri.SslMode));
    }

    [Fact]
    public async Task A_PostgreSQL_database_of_a_newer_schema_is_refused_by_name()
    {
        var connection = await PostgresServer.NewDatabaseAsync();
        await PostgresStateStore.OpenAsync(connection, "test", None);
        await using (var c = new NpgsqlConnection(connection))
        {
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("INSERT INTO stripe_mcp_schema (version) VALUES (99);", c);
            await cmd.ExecuteNonQueryAsync();
        }
        var e = await Assert.ThrowsAsync<StateUnavailable>(() => PostgresStateStore.OpenAsync(connection, "test", None));
        Assert.Contains("schema version 99", e.Message);
    }

    [Fact]
    public async Task Instances_starting_together_create_the_schema_once()
    {
        var connection = await PostgresServer.NewDatabaseAsync();
        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresStateStore.OpenAsync(connection, "test", None))));
        await stores[0].AppendAuditAsync([new AuditEntry("{}", DateTimeOffset.UtcNow)], None);
        Assert.Single(await ToList(stores[5].ReadAuditAsync(null, None)));
    }

    private static async Task<List<AuditRecord>> ToList(IAsyncEnumerable<AuditRecord> records)
    {
        var list = new List<AuditRecord>();
        await foreach (var r in records) list.Add(r);
        return list;
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }
}
