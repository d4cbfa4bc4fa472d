using System.Text.Json;
using StripeMcp.Policy;
using StripeMcp.Stripe;

namespace StripeMcp.Tools;

/// <summary>Reads an object from Stripe (GET path) for a limit check; throws <see cref="LookupFailed"/> when Stripe says no.</summary>
public delegate Task<JsonElement> Lookup(string path, CancellationToken ct);

/// <summary>How much money a call moves, given its arguments (and, where the arguments do not say, a lookup).</summary>
public delegate Task<Money?> MoneyResolver(IReadOnlyDictionary<string, JsonElement> args, Lookup lookup, CancellationToken ct);

/// <summary>A lookup that failed: the Stripe answer, to return to the agent as it is.</summary>
public sealed class LookupFailed(StripeOutcome outcome) : Exception("lookup failed")
{
    public StripeOutcome Outcome { get; } = outcome;
}

/// <summary>
/// The amount a call would move cannot be known before sending it (a price without a fixed unit_amount:
/// tiered or customer-chosen), so limits cannot be checked: the call is refused.
/// </summary>
public sealed class AmountUnknown(string message) : Exception(message);

/// <summary>The ways tools move money, for rows' <see cref="ToolDefinition.Money"/>.</summary>
public static class MoneyOf
{
    private static string? Str(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    /// <summary>An amount argument and a currency argument (payment intents, transfers, prices).</summary>
    public static MoneyResolver Fields(string amount, string currency = "currency") => (a, _, _) =>
        Task.FromResult(Long(a, amount) is { } n && Str(a, currency) is { } c ? new Money(n, c.ToLowerInvariant()) : null);

    /// <summary>Line items: the sum of quantity × the price's unit amount (payment links, checkout sessions).</summary>
    public static MoneyResolver LineItems(string name = "line_items") => async (a, lookup, ct) =>
    {
        if (!a.TryGetValue(name, out var items) || items.ValueKind != JsonValueKind.Array) return null;
        long total = 0;
        string? currency = null;
        foreach (var item in items.EnumerateArray())
        {
            var price = await lookup($"/v1/prices/{Uri.EscapeDataString(item.GetProperty("price").GetString()!)}", ct);
            total += UnitAmount(price) * (item.TryGetProperty("quantity", out var q) ? q.GetInt64() : 1);
            currency ??= price.GetProperty("currency").GetString();
        }
        return currency is null ? null : new Money(total, currency);
    };

    /// <summary>An invoice item: a fixed amount, or its price × quantity.</summary>
    public static readonly MoneyResolver InvoiceItem = async (a, lookup, ct) =>
    {
        if (await Fields("amount")(a, lookup, ct) is { } fixedAmount) return fixedAmount;
        if (!a.TryGetValue("pricing", out var pricing) || !pricing.TryGetProperty("price", out var id)) return null;
        var price = await lookup($"/v1/prices/{Uri.EscapeDataString(id.GetString()!)}", ct);
        return new Money(UnitAmount(price) * (Long(a, "quantity") ?? 1), price.GetProperty("currency").GetString()!);
    };

    private static long UnitAmount(JsonElement price) =>
        price.TryGetProperty("unit_amount", out var u) && u.ValueKind == JsonValueKind.Number
            ? u.GetInt64()
            : throw new AmountUnknown($"price {(price.TryGetProperty("id", out var id) ? id.GetString() : "(unknown)")} has no fixed unit_amount (tiered or customer-chosen pricing), so the amount cannot be checked against the configured limits");

    /// <summary>A refund: the amount asked, or everything left on the charge; the currency is the charge's.</summary>
    public static readonly MoneyResolver Refund = async (a, lookup, ct) =>
    {
        var chargeId = Str(a, "charge");
        if (chargeId is null && Str(a, "payment_intent") is { } pi)
        {
            var intent = await lookup($"/v1/payment_intents/{Uri.EscapeDataString(pi)}", ct);
            chargeId = intent.TryGetProperty("latest_charge", out var lc) && lc.ValueKind == JsonValueKind.String ? lc.GetString() : null;
            if (chargeId is null) return Long(a, "amount") is { } n ? new Money(n, intent.GetProperty("currency").GetString()!) : null;
        }
        if (chargeId is null) return null;
        var charge = await lookup($"/v1/charges/{Uri.EscapeDataString(chargeId)}", ct);
        var left = charge.GetProperty("amount_captured").GetInt64() - charge.GetProperty("amount_refunded").GetInt64();
        return new Money(Long(a, "amount") ?? left, charge.GetProperty("currency").GetString()!);
    };

    /// <summary>A capture: the amount asked, or all that is capturable; the currency is the intent's.</summary>
    public static readonly MoneyResolver Capture = async (a, lookup, ct) =>
    {
        var intent = await lookup($"/v1/payment_intents/{Uri.EscapeDataString(Str(a, "payment_intent")!)}", ct);
        return new Money(Long(a, "amount_to_capture") ?? intent.GetProperty("amount_capturable").GetInt64(), intent.GetProperty("currency").GetString()!);
    };
}
