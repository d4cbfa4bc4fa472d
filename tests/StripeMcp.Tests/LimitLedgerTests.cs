namespace StripeMcp.Tests;

public sealed class LimitLedgerTests
{
    private static readonly ToolDefinition Refund = ToolCatalog.Find("create_refund")!;
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Stores => ["memory", "sqlite", "postgres"];

    private static async Task<State.IStateStore> Store(string kind) => kind switch
    {
        "memory" => new State.MemoryStateStore(TimeSpan.FromDays(365)),
        "sqlite" => await State.SqliteStateStore.OpenAsync(Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db"), None),
        _ => await State.PostgresStateStore.OpenAsync(await Support.PostgresServer.NewDatabaseAsync(), "test", None),
    };

    internal static Policy.LimitLedger Ledger(State.IStateStore store, TimeSpan window, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null) => new(new LimitSettings
    {
        Rules = [new LimitRule("refunds", new Dictionary<string, long>(), new Dictionary<string, long> { ["usd"] = 1000 }, window, null)],
    }, store, clock: clock);

    internal static Task<(Policy.LimitViolation? Violation, Policy.LimitLedger.Reservation Reservation)> Ask(Policy.LimitLedger l, long amount, bool reserve = true, string? account = null) =>
        l.CheckAsync(Refund, new Amounts.Money(amount, "usd"), account, reserve, None);

    [Theory, MemberData(nameof(Stores))]
    public async Task A_released_reservation_frees_the_total_and_a_settled_one_holds_it(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        await (await Ask(ledger, 800)).Reservation.ReleaseAsync(None);
        var (v1, r1) = await Ask(ledger, 800);
        Assert.Null(v1);
        await r1.SettleAsync(None);
        Assert.Equal("limits.refunds.maxTotal.usd", (await Ask(ledger, 300, reserve: false)).Violation?.Limit);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Two_calls_in_flight_cannot_both_fit_under_a_total_and_a_pending_one_counts(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        var (first, held) = await Ask(ledger, 600);
        Assert.Null(first);
        var second = (await Ask(ledger, 600)).Violation;
        Assert.Contains("already used 600", second?.Message);
        await held.ReleaseAsync(None);
        Assert.Null((await Ask(ledger, 600)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Totals_are_kept_per_connected_account(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        Assert.Null((await Ask(ledger, 1000, account: "acct_1A")).Violation);
        Assert.NotNull((await Ask(ledger, 1, account: "acct_1A")).Violation);
        Assert.Null((await Ask(ledger, 1000, account: "acct_1B")).Violation);
        Assert.Null((await Ask(ledger, 1000)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task The_window_rolls(string kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1), clock);
        await Ask(ledger, 1000);
        Assert.NotNull((await Ask(ledger, 1, reserve: false)).Violation);
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null((await Ask(ledger, 1000, reserve: false)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_window_longer_than_a_month_keeps_what_was_spent_in_it(string kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger(await Store(kind), TimeSpan.FromDays(90), clock);
        await Ask(ledger, 800);
        clock.Advance(TimeSpan.FromDays(40));
        await Ask(ledger, 100);
        Assert.Equal("limits.refunds.maxTotal.usd", (await Ask(ledger, 200, reserve: false)).Violation?.Limit);
        clock.Advance(TimeSpan.FromDays(51));
        Assert.Null((await Ask(ledger, 800, reserve: false)).Violation);
    }

    [Fact]
    public async Task A_state_file_of_a_newer_schema_or_in_an_unwritable_place_is_a_clear_refusal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db");
        await State.SqliteStateStore.OpenAsync(path, None);
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO stripe_mcp_schema (version) VALUES (99);";
            await cmd.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var newer = await Assert.ThrowsAsync<State.StateUnavailable>(() => State.SqliteStateStore.OpenAsync(path, None));
        Assert.Contains("schema version 99", newer.Message);

        var blocked = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the folder should be");
        var e = await Assert.ThrowsAsync<State.StateUnavailable>(() => State.SqliteStateStore.OpenAsync(Path.Combine(blocked, "state.db"), None));
        Assert.Contains(blocked, e.Message);
    }
}
