using System.Text.Json;
using StripeMcp.Policy;
using StripeMcp.Stripe;

namespace StripeMcp.Tools;

/// <summary>A kind of Stripe object a limit check may read: where it lives and what its <c>object</c> field says.</summary>
public sealed record StripeObject(string Collection, string Type)
{
    public static readonly StripeObject Price = new("prices", "price"), PaymentIntent = new("payment_intents", "payment_intent"),
        Charge = new("charges", "charge"), Invoice = new("invoices", "invoice"), Subscription = new("subscriptions", "subscription");
}

/// <summary>
/// Reads one object from Stripe for a limit check. It is checked to be the object asked for (its
/// <c>object</c> and <c>id</c>), else <see cref="AmountUnknown"/>; a Stripe refusal throws <see cref="LookupFailed"/>.
/// </summary>
public delegate Task<JsonElement> Lookup(StripeObject kind, string id, CancellationToken ct);

/// <summary>How much money a call moves, given its arguments (and, where the arguments do not say, lookups); null when it moves none.</summary>
public delegate Task<Money?> MoneyResolver(IReadOnlyDictionary<string, JsonElement> args, Lookup lookup, CancellationToken ct);

/// <summary>How a row's call moves money: in words for README's limits table, and as the resolver limits run.</summary>
public sealed record MoneyRule(string How, MoneyResolver Resolve);

/// <summary>A lookup that failed: the Stripe answer, to return to the agent as it is.</summary>
public sealed class LookupFailed(StripeOutcome outcome) : Exception("lookup failed")
{
    public StripeOutcome Outcome { get; } = outcome;
}

/// <summary>
/// The amount a call would move cannot be known for sure before sending it (tiered pricing, an object
/// whose fields are missing or of the wrong type, Stripe collecting later on its own), so limits cannot
/// be checked: the call is refused. Fail closed, never open.
/// </summary>
public sealed class AmountUnknown(string message) : Exception(message);

/// <summary>
/// The ways tools move money, for rows' <see cref="ToolDefinition.Money"/>. Every field read from
/// Stripe is read by the Need… readers below, that throw <see cref="AmountUnknown"/> rather than guess.
/// </summary>
public static class MoneyOf
{
    private const string Unverifiable = "so the amount cannot be checked against the configured limits";

    private static string? Str(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    private static bool True(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Describe(JsonElement o) =>
        $"{(o.TryGetProperty("object", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "object")} {(o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : "(no id)")}";

    /// <summary>A whole, non-negative amount field of a Stripe object.</summary>
    public static long NeedAmount(JsonElement o, string field) =>
        o.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new AmountUnknown($"{Describe(o)} has no usable {field} ({(o.TryGetProperty(field, out var w) ? Param.Kind(w) : "missing")}), {Unverifiable}");

    /// <summary>A three-letter currency field of a Stripe object, lowercase.</summary>
    public static string NeedCurrency(JsonElement o) =>
        o.TryGetProperty("currency", out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: 3 } c && c.All(char.IsAsciiLetter)
            ? c.ToLowerInvariant()
            : throw new AmountUnknown($"{Describe(o)} has no usable currency, {Unverifiable}");

    /// <summary>An id-valued field (a string, or an expanded object's id); null when the object has none.</summary>
    private static string? IdField(JsonElement o, string field)
    {
        if (!o.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var id = v.ValueKind == JsonValueKind.String ? v.GetString()
            : v.ValueKind == JsonValueKind.Object && v.TryGetProperty("id", out var inner) && inner.ValueKind == JsonValueKind.String ? inner.GetString()
            : throw new AmountUnknown($"{Describe(o)} has a {field} that is {Param.Kind(v)}, {Unverifiable}");
        // An id read from an answer is an argument of the next lookup: it obeys the same grammar.
        return IdParam.IsSafeSegment(id!) ? id : throw new AmountUnknown($"{Describe(o)} has a {field} that is not a Stripe id, {Unverifiable}");
    }

    /// <summary>The sum of parts that must all be in one currency.</summary>
    private static Money? Sum(IEnumerable<Money> parts, string what)
    {
        Money? total = null;
        foreach (var m in parts)
        {
            if (total is not null && total.Currency != m.Currency)
                throw new AmountUnknown($"{what} mixes currencies ({total.Currency} and {m.Currency}), {Unverifiable}");
            total = new Money(checked((total?.Amount ?? 0) + m.Amount), m.Currency);
        }
        return total;
    }

    /// <summary>quantity × a price's fixed unit amount.</summary>
    private static Money PriceTimes(JsonElement price, long quantity)
    {
        if (!price.TryGetProperty("unit_amount", out var u) || u.ValueKind != JsonValueKind.Number)
            throw new AmountUnknown($"price {(price.TryGetProperty("id", out var id) ? id.GetString() : "(unknown)")} has no fixed unit_amount (tiered or customer-chosen pricing), {Unverifiable}");
        return new Money(checked(NeedAmount(price, "unit_amount") * quantity), NeedCurrency(price));
    }

    /// <summary>An amount argument and a currency argument (payment intents, transfers, prices).</summary>
    public static MoneyRule Fields(string amount, string currency = "currency") => new($"`{amount}` and `{currency}` arguments", FieldsOf(amount, currency));

    private static MoneyResolver FieldsOf(string amount, string currency = "currency") => (a, _, _) =>
        Task.FromResult(Long(a, amount) is { } n && Str(a, currency) is { } c ? new Money(n, c.ToLowerInvariant()) : null);

    /// <summary>Line items: the sum of quantity × the price's unit amount (payment links, checkout sessions, subscriptions).</summary>
    public static MoneyRule LineItems(string name = "line_items") => new($"Σ quantity × unit_amount over `{name}` (each price read from Stripe; tiered or customer-chosen prices refused)", LineItemsOf(name));

    private static MoneyResolver LineItemsOf(string name) => async (a, lookup, ct) =>
    {
        if (!a.TryGetValue(name, out var items) || items.ValueKind != JsonValueKind.Array) return null;
        var parts = new List<Money>();
        foreach (var item in items.EnumerateArray())
            parts.Add(PriceTimes(await lookup(StripeObject.Price, item.GetProperty("price").GetString()!, ct),
                item.TryGetProperty("quantity", out var q) ? q.GetInt64() : 1));
        return Sum(parts, name);
    };

    /// <summary>An invoice item: a fixed amount, or its price × quantity.</summary>
    public static readonly MoneyRule InvoiceItem = new("`amount` and `currency`, or `pricing.price` (read from Stripe) × `quantity`", async (a, lookup, ct) =>
    {
        if (await FieldsOf("amount")(a, lookup, ct) is { } fixedAmount) return fixedAmount;
        if (!a.TryGetValue("pricing", out var pricing) || !pricing.TryGetProperty("price", out var id))
            throw new AmountUnknown($"the invoice item has neither amount nor pricing.price, {Unverifiable}");
        return PriceTimes(await lookup(StripeObject.Price, id.GetString()!, ct), Long(a, "quantity") ?? 1);
    });

    /// <summary>A refund: the amount asked, or everything left on the charge; the currency is the charge's.</summary>
    public static readonly MoneyRule Refund = new("`amount`, else all that is left on the charge (`amount_captured` − `amount_refunded`); the currency is the charge's (the payment intent's `latest_charge`, read from Stripe)", async (a, lookup, ct) =>
    {
        var chargeId = Str(a, "charge");
        if (chargeId is null && Str(a, "payment_intent") is { } pi)
        {
            var intent = await lookup(StripeObject.PaymentIntent, pi, ct);
            chargeId = IdField(intent, "latest_charge")
                ?? throw new AmountUnknown($"payment_intent {pi} has no latest_charge to refund from, {Unverifiable}");
        }
        if (chargeId is null) throw new AmountUnknown($"the refund names neither a charge nor a payment intent, {Unverifiable}");
        var charge = await lookup(StripeObject.Charge, chargeId, ct);
        var left = NeedAmount(charge, "amount_captured") - NeedAmount(charge, "amount_refunded");
        if (left < 0) throw new AmountUnknown($"{Describe(charge)} has refunded more than it captured, {Unverifiable}");
        return new Money(Long(a, "amount") ?? left, NeedCurrency(charge));
    });

    /// <summary>Confirming charges the intent's whole amount in its currency.</summary>
    public static readonly MoneyRule Confirm = new("the payment intent's `amount` and `currency` (read from Stripe)", async (a, lookup, ct) =>
    {
        var intent = await lookup(StripeObject.PaymentIntent, Str(a, "payment_intent")!, ct);
        return new Money(NeedAmount(intent, "amount"), NeedCurrency(intent));
    });

    /// <summary>A capture: the amount asked, or all that is capturable; the currency is the intent's.</summary>
    public static readonly MoneyRule Capture = new("`amount_to_capture`, else the intent's `amount_capturable` (read from Stripe)", async (a, lookup, ct) =>
    {
        var intent = await lookup(StripeObject.PaymentIntent, Str(a, "payment_intent")!, ct);
        return new Money(Long(a, "amount_to_capture") ?? NeedAmount(intent, "amount_capturable"), NeedCurrency(intent));
    });

    /// <summary>
    /// Updating a payment intent's amount or currency: the new amount in the new currency (what is not
    /// given is the intent's). An update of neither moves nothing.
    /// </summary>
    public static readonly MoneyRule IntentUpdate = new("the new `amount` in the new `currency`; what is not given is the intent's (read from Stripe); neither given: moves nothing", async (a, lookup, ct) =>
    {
        var (amount, currency) = (Long(a, "amount"), Str(a, "currency")?.ToLowerInvariant());
        if (amount is null && currency is null) return null;
        if (amount is { } n && currency is { } c) return new Money(n, c);
        var intent = await lookup(StripeObject.PaymentIntent, Str(a, "payment_intent")!, ct);
        return new Money(amount ?? NeedAmount(intent, "amount"), currency ?? NeedCurrency(intent));
    });

    /// <summary>Collecting an invoice (finalize, pay, send): what it still asks of the customer.</summary>
    public static MoneyRule Invoice(string field) => new($"the invoice's `{field}` and `currency` (read from Stripe)", InvoiceOf(field));

    /// <summary>Paying an invoice: what it still asks, unless it is only recorded as paid elsewhere.</summary>
    public static readonly MoneyRule PayInvoice = Invoice("amount_remaining") with
    {
        How = "the invoice's `amount_remaining` and `currency` (read from Stripe); `paid_out_of_band: true` moves nothing",
    };

    private static MoneyResolver InvoiceOf(string field) => async (a, lookup, ct) =>
    {
        if (True(a, "paid_out_of_band")) return null; // recorded as paid elsewhere: nothing moves in Stripe
        var invoice = await lookup(StripeObject.Invoice, Str(a, "invoice")!, ct);
        return new Money(NeedAmount(invoice, field), NeedCurrency(invoice));
    };

    /// <summary>
    /// A new invoice moves nothing until it is finalized and collected by the tools above, unless
    /// auto_advance lets Stripe finalize and charge it later with whatever lines it has by then.
    /// </summary>
    public static readonly MoneyRule NewInvoice = new("moves nothing until finalized and collected by the tools below; `auto_advance: true` is refused (Stripe would collect later, unchecked)", (a, _, _) => True(a, "auto_advance")
        ? throw new AmountUnknown($"with auto_advance, Stripe finalizes and collects the invoice later with whatever lines it has then, {Unverifiable}; create it without auto_advance and collect it with finalize_invoice or pay_invoice, which are checked")
        : Task.FromResult<Money?>(null));

    /// <summary>The subscription's items as (item id, price, quantity), read fail-closed.</summary>
    private static List<(string Id, JsonElement Price, long Quantity)> SubscriptionItems(JsonElement sub)
    {
        if (!sub.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Object
            || !items.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            throw new AmountUnknown($"{Describe(sub)} has no readable items list, {Unverifiable}");
        if (items.TryGetProperty("has_more", out var more) && more.ValueKind != JsonValueKind.False)
            throw new AmountUnknown($"{Describe(sub)} has more items than its answer lists, {Unverifiable}");
        return [.. data.EnumerateArray().Select(i =>
            (IdField(i, "id") ?? throw new AmountUnknown($"an item of {Describe(sub)} has no id, {Unverifiable}"),
             i.TryGetProperty("price", out var p) && p.ValueKind == JsonValueKind.Object ? p : throw new AmountUnknown($"item {IdField(i, "id")} of {Describe(sub)} has no price object, {Unverifiable}"),
             NeedAmount(i, "quantity")))];
    }

    private static Money? PerPeriod(IEnumerable<(string Id, JsonElement Price, long Quantity)> items, string what) =>
        Sum(items.Select(i => PriceTimes(i.Price, i.Quantity)), what);

    /// <summary>
    /// Changing a subscription's items: what it bills per period afterwards (its items with the changes
    /// applied: swaps, new quantities, removals, additions). Other changes move nothing.
    /// </summary>
    public static readonly MoneyRule SubscriptionChange = new("what the subscription bills per period after the change: its items (read from Stripe) with `items` applied (swaps, quantities, removals, additions); no `items`: moves nothing", async (a, lookup, ct) =>
    {
        if (!a.TryGetValue("items", out var changes) || changes.ValueKind != JsonValueKind.Array) return null;
        var id = Str(a, "subscription")!;
        var items = SubscriptionItems(await lookup(StripeObject.Subscription, id, ct));
        foreach (var change in changes.EnumerateArray())
        {
            var itemId = change.TryGetProperty("id", out var i) ? i.GetString() : null;
            var price = change.TryGetProperty("price", out var p) ? await lookup(StripeObject.Price, p.GetString()!, ct) : (JsonElement?)null;
            long? quantity = change.TryGetProperty("quantity", out var q) ? q.GetInt64() : null;
            if (itemId is null)
            {
                items.Add(("(new)", price ?? throw new AmountUnknown($"a new item of subscription {id} names no price, {Unverifiable}"), quantity ?? 1));
                continue;
            }
            var at = items.FindIndex(x => x.Id == itemId);
            if (at < 0) throw new AmountUnknown($"item {itemId} is not on subscription {id}, {Unverifiable}");
            if (change.TryGetProperty("deleted", out var d) && d.ValueKind == JsonValueKind.True) items.RemoveAt(at);
            else items[at] = (itemId, price ?? items[at].Price, quantity ?? items[at].Quantity);
        }
        return PerPeriod(items, $"subscription {id}");
    });

    /// <summary>Resuming collection: the subscription bills what its items cost per period again.</summary>
    public static readonly MoneyRule SubscriptionResume = new("what the subscription bills per period: Σ quantity × unit_amount over its items (read from Stripe)", async (a, lookup, ct) =>
    {
        var id = Str(a, "subscription")!;
        return PerPeriod(SubscriptionItems(await lookup(StripeObject.Subscription, id, ct)), $"subscription {id}");
    });

    /// <summary>Cancelling moves nothing, unless invoice_now bills pending usage and prorations, which cannot be known before.</summary>
    public static readonly MoneyRule SubscriptionCancel = new("moves nothing; `invoice_now: true` is refused (it bills usage and prorations not known before the call)", (a, _, _) => True(a, "invoice_now")
        ? throw new AmountUnknown($"invoice_now bills the subscription's pending usage and prorations, which are not known before the call, {Unverifiable}")
        : Task.FromResult<Money?>(null));

    /// <summary>A subscription's first and every later invoice: quantity × unit amount over its items.</summary>
    public static readonly MoneyRule NewSubscription = LineItems("items");
}
