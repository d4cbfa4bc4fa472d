using System.Globalization;
using System.Text.Json;

namespace StripeMcp.Amounts;

/// <summary>Money a call moves: an amount in the currency's smallest unit.</summary>
internal sealed record Money(long Amount, string Currency)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:N0} {Currency}");
}

/// <summary>A kind of Stripe object a limit check may read: where it lives, what its <c>object</c> field says, and what to expand.</summary>
internal sealed record StripeObject(string Collection, string Type, string? Expand = null)
{
    /// <summary>A price is read with its amounts in other currencies (Stripe returns currency_options only when asked).</summary>
    public static readonly StripeObject Price = new("prices", "price", "currency_options"), PaymentIntent = new("payment_intents", "payment_intent"),
        Charge = new("charges", "charge"), Invoice = new("invoices", "invoice"), Subscription = new("subscriptions", "subscription");
}

/// <summary>
/// Reads one object from Stripe for a limit check. The host's implementation checks it is the object asked
/// for (its <c>object</c> and <c>id</c>), else throws <see cref="AmountUnknown"/>; a Stripe refusal it throws as its own exception.
/// </summary>
internal delegate Task<JsonElement> Lookup(StripeObject kind, string id, CancellationToken ct);

/// <summary>How much money a call moves, given the fields it sends (and, where they do not say, lookups); null when it moves none.</summary>
internal delegate Task<Money?> MoneyResolver(IReadOnlyDictionary<string, JsonElement> fields, Lookup lookup, CancellationToken ct);

/// <summary>How an operation moves money: in words for the limits table of docs/tools.md, and as the resolver limits run.</summary>
internal sealed record MoneyRule(string How, MoneyResolver Resolve);

/// <summary>
/// The amount a call would move cannot be known for sure before sending it (tiered pricing, a parameter no rule
/// measures, an object whose fields are missing or of the wrong type, Stripe collecting later on its own), so
/// limits cannot be checked: the call is refused. Fail closed, never open.
/// </summary>
internal sealed class AmountUnknown(string message) : Exception(message);

/// <summary>JSON helpers the engine's rules share.</summary>
internal static class JsonText
{
    /// <summary>"a string", "a number" …: what a value is, for messages.</summary>
    public static string Kind(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>Whether text is safe as one path segment of a request: 1-255 letters, digits, '_' or '-'.</summary>
    public static bool IsSafeSegment(string segment) =>
        segment.Length is > 0 and <= 255 && segment.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
