using Microsoft.Extensions.Time.Testing;
using StripeMcp.Amounts;
using StripeMcp.Policy;
using StripeMcp.State;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>
/// A reservation belongs to the one call that made it — its Stripe account, connected account, caller, API key,
/// idempotency key and arguments — in every store, and with two openers of one database (two processes).
/// </summary>
public sealed class LedgerScopeTests
{
    private static readonly ToolDefinition Refund = ToolCatalog.Find("create_refund")!;
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Stores => ["memory", "sqlite", "postgres"];

    /// <summary>Two openers of one store (the same object for memory: one process).</summary>
    private static async Task<(IStateStore A, IStateStore B)> Twice(string kind)
    {
        switch (kind)
        {
            case "memory":
                var m = new MemoryStateStore(TimeSpan.FromDays(365));
                return (m, m);
            case "sqlite":
                var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db");
                return (await SqliteStateStore.OpenAsync(path, None), await SqliteStateStore.OpenAsync(path, None));
            default:
                var connection = await Support.PostgresServer.NewDatabaseAsync();
                return (await PostgresStateStore.OpenAsync(connection, "test", None), await PostgresStateStore.OpenAsync(connection, "test", None));
        }
    }

    private static readonly LimitRule AtOne = new("refunds", new Dictionary<string, long>(), new Dictionary<string, long> { ["usd"] = 1000 }, TimeSpan.FromDays(30), null);

    private static LimitLedger Ledger(IStateStore store, string apiKey = "key:a", FakeTimeProvider? clock = null) => new(new LimitSettings
    {
        Rules = [AtOne],
    }, store, scopeOf: (account, _) => Task.FromResult($"acct_platform/{account ?? "platform"}"), clock: clock, keyScope: () => apiKey);

    private static Task<(LimitViolation? Violation, LimitLedger.Reservation Reservation)> Hold(LimitLedger l, long amount, string? account, string id) =>
        l.CheckAsync(Refund, new Money(amount, "usd"), account, reserve: true, None, id);

    [Theory, MemberData(nameof(Stores))]
    public async Task A_refusal_on_one_account_gives_back_only_its_own_reservation_not_another_accounts_of_the_same_id(string kind)
    {
        var (a, b) = await Twice(kind);
        var (onA, onB) = (Ledger(a), Ledger(b));
        Assert.Null((await Hold(onA, 900, "acct_A", "same-id")).Violation);
        var (v, heldOnB) = await Hold(onB, 100, "acct_B", "same-id");
        Assert.Null(v);
        await heldOnB.ReleaseAsync(None); // Stripe refused the call on B
        Assert.Equal(900, await onA.UsedAsync(AtOne, "usd", "acct_A", None));
        Assert.NotNull((await Hold(onA, 200, "acct_A", "another")).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Another_API_key_caller_or_argument_with_the_same_idempotency_key_is_another_call_and_counts(string kind)
    {
        var (a, b) = await Twice(kind);
        var (first, second) = (Ledger(a, "key:a"), Ledger(b, "key:b"));
        Assert.Null((await Hold(first, 600, null, first.CallId(null, null, "k1", "args-1"))).Violation);
        // The same key from a second API key of the account, other arguments, or another caller: counted, so over the total.
        Assert.NotNull((await Hold(second, 600, null, second.CallId(null, null, "k1", "args-1"))).Violation);
        Assert.NotNull((await Hold(first, 600, null, first.CallId(null, null, "k1", "args-2"))).Violation);
        Assert.NotNull((await Hold(first, 600, null, first.CallId("token-b", null, "k1", "args-1"))).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_retry_after_Stripe_stops_replaying_its_key_is_counted_again(string kind)
    {
        var (a, _) = await Twice(kind);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger(a, clock: clock);
        var id = ledger.CallId(null, null, "k1", "args-1");
        var (_, first) = await Hold(ledger, 600, null, id);
        await first.UnansweredAsync(None);                                   // it ended without an answer
        clock.Advance(TimeSpan.FromHours(23));
        var (within, retry) = await Hold(ledger, 600, null, id);             // Stripe would replay it: checked without the first try
        Assert.Null(within);
        await retry.ReleaseIfReplayAsync(None);                              // and it did
        clock.Advance(TimeSpan.FromHours(2));
        Assert.NotNull((await Hold(ledger, 600, null, id)).Violation);       // Stripe may apply it again: a new call, over 1,000
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_retry_of_an_answered_call_is_held_afresh_so_retries_Stripe_applies_anew_cannot_pass_the_total(string kind)
    {
        var (a, b) = await Twice(kind);
        var (first, second) = (Ledger(a), Ledger(b));
        var id = first.CallId(null, null, "k1", "args-1");
        await (await Hold(first, 400, null, id)).Reservation.SettleAsync(None);
        // Retries of it, one after another and at once, from two openers: each is held afresh against the total.
        var retries = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => Hold(i % 2 == 0 ? first : second, 400, null, id))));
        Assert.Equal(1, retries.Count(r => r.Violation is null)); // 400 + 400 fit under 1,000; a third would not
        Assert.Equal(800, await first.UsedAsync(AtOne, "usd", null, None));
        // Stripe replayed the one that got through: its hold is given back, the first call stays counted.
        await retries.Single(r => r.Violation is null).Reservation.ReleaseIfReplayAsync(None);
        Assert.Equal(400, await first.UsedAsync(AtOne, "usd", null, None));
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_retry_of_a_call_whose_outcome_is_unknown_is_not_refused_for_its_own_first_try(string kind)
    {
        var (a, _) = await Twice(kind);
        var ledger = Ledger(a);
        var id = ledger.CallId(null, null, "k1", "args-1");
        var (_, first) = await Hold(ledger, 900, null, id);
        Assert.NotNull((await Hold(ledger, 900, null, id)).Violation); // still in flight: a concurrent retry counts it
        await first.UnansweredAsync(None);                             // it ended with no answer: outcome unknown
        var (v, retry) = await Hold(ledger, 900, null, id);          // the retry that finds out
        Assert.Null(v);
        await retry.ReleaseIfReplayAsync(None);                        // Stripe replayed: it was the same payment
        Assert.Equal(900, await ledger.UsedAsync(AtOne, "usd", null, None));
    }

    [Fact]
    public void A_callers_tag_at_Stripe_digests_the_API_key_too()
    {
        var store = new MemoryStateStore(TimeSpan.FromDays(1));
        Assert.NotEqual(Ledger(store, "key:a").CallerTag("alice"), Ledger(store, "key:b").CallerTag("alice"));
        Assert.Equal("-", Ledger(store).CallerTag(null));
    }

    [Fact]
    public async Task Idempotency_claims_of_two_callers_never_conflict_and_one_callers_are_kept_apart_from_anothers()
    {
        var ledger = Ledger(new MemoryStateStore(TimeSpan.FromDays(1)));
        Assert.False((await ledger.ClaimKeyAsync("token-a", null, "k1", "fp-1", "create_refund", None)).Conflict);
        Assert.False((await ledger.ClaimKeyAsync("token-b", null, "k1", "fp-2", "create_customer", None)).Conflict);
        var again = await ledger.ClaimKeyAsync("token-a", null, "k1", "fp-3", "create_refund", None);
        Assert.True(again.Conflict);
        Assert.Equal("create_refund", again.OtherTool);
    }
}
