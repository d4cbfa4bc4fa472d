using System.Globalization;
using StripeMcp.Configuration;
using StripeMcp.Amounts;
using StripeMcp.State;
using StripeMcp.Tools;

namespace StripeMcp.Policy;

/// <summary>A refused call: which limit, its value, and what was asked.</summary>
internal sealed record LimitViolation(string Limit, long? LimitValue, Money Asked, string Message);

/// <summary>
/// Checks limits, and keeps the rolling totals (maxTotal over a window) in a state store shared by every
/// process that uses it. A call reserves its amount before it is sent, atomically in the store, so two
/// concurrent calls — of this process or another — can never both squeeze under a total; the amount is
/// given back only when Stripe definitely refused the call.
/// </summary>
/// <param name="scopeOf">The totals a call on behalf of a connected account (null: the platform) counts against; asked only when a total applies.</param>
/// <param name="keyScope">Whose idempotency keys these are (a digest of the API key, computed when a key is first claimed): claims need no request to Stripe, so a dry run sends nothing.</param>
internal sealed class LimitLedger(LimitSettings settings, IStateStore store, Func<string?, CancellationToken, Task<string>>? scopeOf = null, TimeProvider? clock = null, Func<string>? keyScope = null)
{
    private readonly Lazy<string> _keyScope = new(keyScope ?? (() => "local"));
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Func<string?, CancellationToken, Task<string>> _scopeOf = scopeOf ?? ((account, _) => Task.FromResult($"local/{account ?? "platform"}"));

    /// <summary>The longest window of any rule: how long a recorded amount can matter.</summary>
    public static TimeSpan LongestWindow(LimitSettings settings) => settings.Rules.Select(r => r.Window).DefaultIfEmpty().Max();

    public IStateStore Store => store;

    /// <summary>A reservation in the store, in its scope: settle it when Stripe answered, release it when Stripe definitely refused.</summary>
    /// <param name="reused">This is a retry's own hold (<see cref="ReserveResult.Reused"/>).</param>
    public sealed class Reservation(IStateStore? store, string? scope, string? id, bool reused = false)
    {
        public string? Id => id;

        /// <summary>The call ended without Stripe's answer: counted still, and a retry may be checked without it.</summary>
        public Task UnansweredAsync(CancellationToken ct) => store is null || scope is null || id is null ? Task.CompletedTask : store.UnansweredAsync(scope, id, ct);

        /// <summary>A retry's own hold is given back when Stripe replayed the first answer: nothing moved again.</summary>
        public Task ReleaseIfReplayAsync(CancellationToken ct) => reused ? ReleaseAsync(ct) : Task.CompletedTask;

        public Task SettleAsync(CancellationToken ct) => store is null || scope is null || id is null ? Task.CompletedTask : store.SettleAsync(scope, id, ct);

        public Task ReleaseAsync(CancellationToken ct) => store is null || scope is null || id is null ? Task.CompletedTask : store.ReleaseAsync(scope, id, ct);
    }

    public static readonly Reservation None = new(null, null, null);

    /// <summary>
    /// The identity of one exact call, for its reservation: who called (the caller's name; null on stdio), under which
    /// API key, for which account, with which idempotency key and arguments (<paramref name="fingerprint"/>). Only a
    /// retry of the very same call can stand for it; another key, caller, account or argument is another call.
    /// </summary>
    public string CallId(string? caller, string? account, string key, string fingerprint) =>
        Convert.ToHexStringLower(Configuration.TokenPolicy.Hash(string.Join('\n', _keyScope.Value, caller ?? "", account ?? "platform", key, fingerprint)));

    /// <summary>How much of <paramref name="rule"/>'s rolling total in <paramref name="currency"/> is counted now for the account (pending and settled).</summary>
    public async Task<long> UsedAsync(LimitRule rule, string currency, string? account, CancellationToken ct) =>
        await store.UsedAsync(await _scopeOf(account, ct), rule.Key, currency, _clock.GetUtcNow() - rule.Window, ct);

    /// <summary>
    /// The first limit the call breaks, or null. With <paramref name="reserve"/>, also holds the amount against
    /// the rolling totals of the Stripe account and the connected account (<paramref name="account"/>) it acts in.
    /// A store that cannot answer throws <see cref="StateUnavailable"/>: the caller refuses the call.
    /// </summary>
    /// <param name="reservationId">The call's identity (<see cref="CallId"/>): a retry of the very same call is held once.</param>
    public async Task<(LimitViolation? Violation, Reservation Reservation)> CheckAsync(ToolDefinition tool, Money money, string? account, bool reserve, CancellationToken ct, string? reservationId = null)
    {
        if (settings.Currencies is { } allowed && !allowed.Contains(money.Currency))
            return (new LimitViolation("limits.currencies", null, money,
                $"{tool.Name}: currency {money.Currency} is not allowed (limits.currencies: {string.Join(", ", allowed.Order())}); asked {money}"), None);

        var rules = settings.For(tool);
        var holds = new List<Hold>();
        foreach (var rule in rules)
        {
            if (rule.Currencies is { } ruleCurrencies && !ruleCurrencies.Contains(money.Currency))
                return (new LimitViolation($"limits.{rule.Key}.currencies", null, money,
                    $"{tool.Name}: currency {money.Currency} is not allowed (limits.{rule.Key}.currencies: {string.Join(", ", ruleCurrencies.Order())}); asked {money}"), None);
            if (rule.MaxAmount.Count > 0)
            {
                if (!rule.MaxAmount.TryGetValue(money.Currency, out var max))
                    return (new LimitViolation($"limits.{rule.Key}.maxAmount", null, money,
                        $"{tool.Name}: limits.{rule.Key}.maxAmount has no cap for {money.Currency}, so {money.Currency} amounts are refused; asked {money}"), None);
                if (money.Amount > max)
                    return (new LimitViolation($"limits.{rule.Key}.maxAmount.{money.Currency}", max, money,
                        $"{tool.Name}: {money} is over limits.{rule.Key}.maxAmount.{money.Currency} = {max:N0}"), None);
            }
            if (rule.MaxTotal.Count > 0)
            {
                if (!rule.MaxTotal.TryGetValue(money.Currency, out var maxTotal))
                    return (new LimitViolation($"limits.{rule.Key}.maxTotal", null, money,
                        $"{tool.Name}: limits.{rule.Key}.maxTotal has no cap for {money.Currency}, so {money.Currency} amounts are refused; asked {money}"), None);
                holds.Add(new Hold(rule.Key, money.Currency, money.Amount, rule.Window, maxTotal));
            }
        }
        if (holds.Count == 0) return (null, None);

        var scope = await _scopeOf(account, ct);
        var now = _clock.GetUtcNow();
        if (!reserve)
        {
            foreach (var h in holds)
            {
                var used = await store.UsedAsync(scope, h.Rule, h.Currency, now - h.Window, ct, reservationId);
                if (used + h.Amount > h.MaxTotal) return (Over(tool, money, h, used, store.Durable), None);
            }
            return (null, None);
        }
        var result = await store.ReserveAsync(scope, holds, tool.Name, now, ct, reservationId);
        return result.Over is { } over ? (Over(tool, money, over, result.Used, store.Durable), None) : (null, new Reservation(store, scope, result.Id, result.Reused));
    }

    /// <summary>
    /// Claims an idempotency key for one exact call in the scope of the API key, the caller and the account (see
    /// <see cref="IStateStore.ClaimKeyAsync"/>): two callers never see, conflict with or replay each other's keys.
    /// </summary>
    public async Task<KeyClaim> ClaimKeyAsync(string? caller, string? account, string key, string fingerprint, string tool, CancellationToken ct) =>
        await store.ClaimKeyAsync($"{_keyScope.Value}/{CallerTag(caller)}/{account ?? "platform"}", key, fingerprint, tool, _clock.GetUtcNow(), ct);

    /// <summary>
    /// A short digest naming a caller in keys and scopes ("-" for none: stdio, HTTP without tokens). It digests the
    /// API key's scope with the caller's name, so nobody without the key can compute another caller's keys at Stripe.
    /// </summary>
    public string CallerTag(string? caller) => caller is null ? "-"
        : Convert.ToHexStringLower(Configuration.TokenPolicy.Hash($"{_keyScope.Value}\n{caller}"))[..16];

    private static LimitViolation Over(ToolDefinition tool, Money money, Hold h, long used, bool durable) =>
        new($"limits.{h.Rule}.maxTotal.{h.Currency}", h.MaxTotal, money,
            $"{tool.Name}: {money} would bring {h.Rule} to {used + h.Amount:N0} {h.Currency} in the last {Format(h.Window)}, over limits.{h.Rule}.maxTotal.{h.Currency} = {h.MaxTotal:N0} (already used {used:N0}, {(durable ? "counted across restarts and by every server sharing this state" : "counted by this server process only")})");

    private static string Format(TimeSpan w) =>
        w.TotalDays >= 1 && w.TotalDays % 1 == 0 ? $"{w.TotalDays}d" : w.TotalHours >= 1 && w.TotalHours % 1 == 0 ? $"{w.TotalHours}h" : $"{w.TotalMinutes}m";
}
