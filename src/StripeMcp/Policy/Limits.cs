using System.Globalization;
using StripeMcp.Tools;

namespace StripeMcp.Policy;

/// <summary>Money a call moves: an amount in the currency's smallest unit.</summary>
public sealed record Money(long Amount, string Currency)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:N0} {Currency}");
}

/// <summary>One entry of config "limits": keyed by a resource (refunds) or a tool name (create_payment_link).</summary>
public sealed record LimitRule(
    string Key,
    IReadOnlyDictionary<string, long> MaxAmount,
    IReadOnlyDictionary<string, long> MaxTotal,
    TimeSpan Window,
    IReadOnlySet<string>? Currencies);

/// <summary>Config "limits": an allowed-currencies list for every money-moving tool, and rules per resource or tool.</summary>
public sealed record LimitSettings
{
    public IReadOnlySet<string>? Currencies { get; init; }
    public IReadOnlyList<LimitRule> Rules { get; init; } = [];

    public IReadOnlyList<LimitRule> For(ToolDefinition tool) => Rules.Where(r => r.Key == tool.Name || r.Key == tool.Resource).ToList();

    /// <summary>Whether anything limits this tool (so its amount must be known before it is sent).</summary>
    public bool Apply(ToolDefinition tool) => tool.Money is not null && (Currencies is not null || For(tool).Count > 0);

    /// <summary>"24h", "30m", "7d", "90s".</summary>
    public static TimeSpan? ParseWindow(string text)
    {
        if (text.Length < 2 || !long.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0) return null;
        return text[^1] switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => null,
        };
    }
}

/// <summary>A refused call: which limit, its value, and what was asked.</summary>
public sealed record LimitViolation(string Limit, long? LimitValue, Money Asked, string Message);

/// <summary>
/// Checks limits and keeps the rolling totals of this process (maxTotal over a window). A call
/// reserves its amount before it is sent; the reservation is kept if Stripe accepts the call and
/// released if not, so two concurrent calls can never both squeeze under a total.
/// </summary>
public sealed class LimitLedger(LimitSettings settings, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly List<Entry> _entries = [];
    // Entries older than the longest window can no longer count toward any total.
    private readonly TimeSpan _longestWindow = settings.Rules.Select(r => r.Window).DefaultIfEmpty().Max();

    internal sealed class Entry(string key, string currency, long amount, DateTimeOffset at)
    {
        public string Key { get; } = key;
        public string Currency { get; } = currency;
        public long Amount { get; } = amount;
        public DateTimeOffset At { get; } = at;
    }

    /// <summary>A reservation; dispose without <see cref="Commit"/> (or call <see cref="Release"/>) to release it.</summary>
    public sealed class Reservation : IDisposable
    {
        private readonly LimitLedger? _ledger;
        private readonly List<Entry> _entries;
        private bool _committed;

        internal Reservation(LimitLedger? ledger, List<Entry> entries) => (_ledger, _entries) = (ledger, entries);

        public void Commit() => _committed = true;

        /// <summary>Gives the amount back: the call definitely moved nothing.</summary>
        public void Release()
        {
            if (_ledger is null) return;
            lock (_ledger._entries) foreach (var e in _entries) _ledger._entries.Remove(e);
            _committed = true;
        }

        public void Dispose()
        {
            if (!_committed) Release();
        }
    }

    public static readonly Reservation None = new(null, []);

    /// <summary>The first limit the call breaks, or null. With <paramref name="reserve"/>, also holds the amount against rolling totals.</summary>
    public (LimitViolation? Violation, Reservation Reservation) Check(ToolDefinition tool, Money money, bool reserve)
    {
        if (settings.Currencies is { } allowed && !allowed.Contains(money.Currency))
            return (new LimitViolation("limits.currencies", null, money,
                $"{tool.Name}: currency {money.Currency} is not allowed (limits.currencies: {string.Join(", ", allowed.Order())}); asked {money}"), None);

        var rules = settings.For(tool);
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
        }

        lock (_entries)
        {
            var now = _clock.GetUtcNow();
            var held = new List<Entry>();
            foreach (var rule in rules.Where(r => r.MaxTotal.Count > 0))
            {
                if (!rule.MaxTotal.TryGetValue(money.Currency, out var maxTotal))
                    return (new LimitViolation($"limits.{rule.Key}.maxTotal", null, money,
                        $"{tool.Name}: limits.{rule.Key}.maxTotal has no cap for {money.Currency}, so {money.Currency} amounts are refused; asked {money}"), None);
                var used = _entries.Where(e => e.Key == rule.Key && e.Currency == money.Currency && now - e.At < rule.Window).Sum(e => e.Amount);
                if (used + money.Amount > maxTotal)
                    return (new LimitViolation($"limits.{rule.Key}.maxTotal.{money.Currency}", maxTotal, money,
                        $"{tool.Name}: {money} would bring {rule.Key} to {used + money.Amount:N0} {money.Currency} in the last {Format(rule.Window)}, over limits.{rule.Key}.maxTotal.{money.Currency} = {maxTotal:N0} (already used {used:N0}; totals are kept per server process)"), None);
                held.Add(new Entry(rule.Key, money.Currency, money.Amount, now));
            }
            if (!reserve || held.Count == 0) return (null, None);
            _entries.RemoveAll(e => now - e.At >= _longestWindow);
            _entries.AddRange(held);
            return (null, new Reservation(this, held));
        }
    }

    private static string Format(TimeSpan w) =>
        w.TotalDays >= 1 && w.TotalDays % 1 == 0 ? $"{w.TotalDays}d" : w.TotalHours >= 1 && w.TotalHours % 1 == 0 ? $"{w.TotalHours}h" : $"{w.TotalMinutes}m";
}
