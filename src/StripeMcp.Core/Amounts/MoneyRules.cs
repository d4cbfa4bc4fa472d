using System.Text.Json;

namespace StripeMcp.Amounts;

/// <summary>
/// The ways operations move money, for <see cref="MoneyOperations"/>. A rule reads only the parameters the
/// classification (money-parameters.txt) marks measured; every field read from Stripe goes through the Need…
/// readers below, which throw <see cref="AmountUnknown"/> rather than guess. Amounts and quantities are never
/// negative here: a negative one is refused, except an invoice item's amount, a credit, which is measured by its size.
/// </summary>
internal static class MoneyRules
{
    private const string Unverifiable = "so the amount cannot be checked against the configured limits";

    private static string? Str(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? Str(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>A whole amount or quantity the caller gave; negative is refused (Stripe wants none of these below zero).</summary>
    private static long? CountValue(JsonElement v, string path)
    {
        if (v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
            throw new AmountUnknown($"{path} is {JsonText.Kind(v)} that is not a whole number, {Unverifiable}");
        return n >= 0 ? n : throw new AmountUnknown($"{path} is negative ({n}), which would lower a rolling total, {Unverifiable}");
    }

    private static long? Count(JsonElement o, string name, string path) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) ? CountValue(v, path) : null;

    private static long? Count(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) ? CountValue(v, name) : null;

    private static bool True(IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static string Describe(JsonElement o) =>
        $"{(o.TryGetProperty("object", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : "object")} {(o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : "(no id)")}";

    /// <summary>A whole, non-negative amount field of a Stripe object.</summary>
    public static long NeedAmount(JsonElement o, string field) =>
        o.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0
            ? n
            : throw new AmountUnknown($"{Describe(o)} has no usable {field} ({(o.TryGetProperty(field, out var w) ? JsonText.Kind(w) : "missing")}), {Unverifiable}");

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
            : throw new AmountUnknown($"{Describe(o)} has a {field} that is {JsonText.Kind(v)}, {Unverifiable}");
        // An id read from an answer is an argument of the next lookup: it obeys the same grammar.
        return JsonText.IsSafeSegment(id!) ? id : throw new AmountUnknown($"{Describe(o)} has a {field} that is not a Stripe id, {Unverifiable}");
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

    /// <summary>
    /// quantity × a price's fixed unit amount, in <paramref name="currency"/> when the call charges another currency
    /// than the price's own (its <c>currency_options</c>, read from Stripe with it). A metered price bills usage, not
    /// a quantity; a price in several currencies bills the one the call names, or the buyer's or customer's when it
    /// names none: neither can be known before the call, so both are refused.
    /// </summary>
    private static Money PriceTimes(JsonElement price, long quantity, string? currency)
    {
        var id = Str(price, "id") ?? "(unknown)";
        if (price.TryGetProperty("recurring", out var recurring) && recurring.ValueKind == JsonValueKind.Object
            && (Str(recurring, "usage_type") is { } usage && usage != "licensed" || recurring.TryGetProperty("meter", out var meter) && meter.ValueKind == JsonValueKind.String))
            throw new AmountUnknown($"price {id} is metered: it bills reported usage, not a quantity, {Unverifiable}");
        var options = price.TryGetProperty("currency_options", out var o) && o.ValueKind == JsonValueKind.Object ? o : (JsonElement?)null;
        var several = options is { } all && all.EnumerateObject().Any(c => c.Name != NeedCurrency(price));
        if (currency is null && several)
            throw new AmountUnknown($"price {id} has amounts in several currencies (currency_options) and the call does not say which is charged (the buyer's or customer's may be); give `currency`, {Unverifiable}");
        if (currency is not null && NeedCurrency(price) != currency)
        {
            if (options is not { } opts || !opts.TryGetProperty(currency, out var option) || option.ValueKind != JsonValueKind.Object)
                throw new AmountUnknown($"price {id} has no amount in {currency} (currency_options), {Unverifiable}");
            if (!option.TryGetProperty("unit_amount", out var u) || u.ValueKind != JsonValueKind.Number)
                throw new AmountUnknown($"price {id} has no fixed unit_amount in {currency} (tiered or customer-chosen pricing), {Unverifiable}");
            return new Money(checked(NeedAmount(option, "unit_amount") * quantity), currency);
        }
        if (!price.TryGetProperty("unit_amount", out var unit) || unit.ValueKind != JsonValueKind.Number)
            throw new AmountUnknown($"price {id} has no fixed unit_amount (tiered or customer-chosen pricing), {Unverifiable}");
        return new Money(checked(NeedAmount(price, "unit_amount") * quantity), NeedCurrency(price));
    }

    /// <summary>A line's price: an existing one (read from Stripe) or price_data given inline (currency and unit_amount).</summary>
    private static async Task<JsonElement> LinePrice(JsonElement line, string path, Lookup lookup, CancellationToken ct)
    {
        var data = default(JsonElement);
        var hasData = line.ValueKind == JsonValueKind.Object && line.TryGetProperty("price_data", out data);
        if (Str(line, "price") is { } id)
            return hasData ? throw new AmountUnknown($"{path} gives both price and price_data, {Unverifiable}") : await lookup(StripeObject.Price, id, ct);
        if (hasData && data.ValueKind == JsonValueKind.Object)
        {
            var amount = Count(data, "unit_amount", path + ".price_data.unit_amount") ?? throw new AmountUnknown($"{path}.price_data has no unit_amount, {Unverifiable}");
            var currency = Str(data, "currency") ?? throw new AmountUnknown($"{path}.price_data has no currency, {Unverifiable}");
            return JsonSerializer.SerializeToElement(new { id = "(price_data)", @object = "price", unit_amount = amount, currency = currency.ToLowerInvariant() });
        }
        throw new AmountUnknown($"{path} names no price, {Unverifiable}");
    }

    /// <summary>An amount argument and a currency argument (payment intents, transfers, prices).</summary>
    public static MoneyRule Fields(string amount, string currency = "currency") => new($"`{amount}` and `{currency}` arguments", FieldsOf(amount, currency));

    private static MoneyResolver FieldsOf(string amount, string currency = "currency") => (a, _, _) =>
        Task.FromResult(Count(a, amount) is { } n && Str(a, currency) is { } c ? new Money(n, c.ToLowerInvariant()) : null);

    /// <summary>Line items: Σ quantity × unit amount (payment links, checkout sessions, new subscriptions), in the `currency` charged.</summary>
    public static MoneyRule LineItems(string name = "line_items") => new(
        $"Σ quantity × unit_amount over `{name}` (each `price` read from Stripe, or `price_data`), in the `currency` charged (a price's `currency_options`); tiered, customer-chosen and metered prices refused, and prices in several currencies unless `currency` is given",
        LineItemsOf(name));

    private static MoneyResolver LineItemsOf(string name) => async (a, lookup, ct) =>
    {
        if (!a.TryGetValue(name, out var items) || items.ValueKind != JsonValueKind.Array) return null;
        var currency = Str(a, "currency")?.ToLowerInvariant();
        var parts = new List<Money>();
        var i = 0;
        foreach (var item in items.EnumerateArray())
        {
            var path = $"{name}[{i++}]";
            parts.Add(PriceTimes(await LinePrice(item, path, lookup, ct), Count(item, "quantity", path + ".quantity") ?? 1, currency));
        }
        return Sum(parts, name);
    };

    /// <summary>An invoice item: a fixed amount (a negative one is a credit, measured by its size), or its price × quantity.</summary>
    public static readonly MoneyRule InvoiceItem = new("`amount` × `quantity` in `currency` (a negative amount, a credit, counts by its size), or `pricing.price` (read from Stripe) × `quantity`", async (a, lookup, ct) =>
    {
        var quantity = Count(a, "quantity") ?? 1;
        if (a.TryGetValue("amount", out var amount))
        {
            if (a.ContainsKey("pricing")) throw new AmountUnknown($"the invoice item gives both amount and pricing, {Unverifiable}");
            if (amount.ValueKind != JsonValueKind.Number || !amount.TryGetInt64(out var n) || n == long.MinValue)
                throw new AmountUnknown($"amount is not a whole number, {Unverifiable}");
            var currency = Str(a, "currency") ?? throw new AmountUnknown($"the invoice item gives an amount without a currency, {Unverifiable}");
            return new Money(checked(Math.Abs(n) * quantity), currency.ToLowerInvariant());
        }
        if (!a.TryGetValue("pricing", out var pricing) || Str(pricing, "price") is not { } id)
            throw new AmountUnknown($"the invoice item has neither amount and currency nor pricing.price, {Unverifiable}");
        return PriceTimes(await lookup(StripeObject.Price, id, ct), quantity, null);
    });

    /// <summary>A refund: the amount asked, or everything left on the charge; the currency is the charge's.</summary>
    public static readonly MoneyRule Refund = new("`amount`, else all that is left on the charge (`amount_captured` − `amount_refunded`); the currency is the charge's (the payment intent's `latest_charge`, read from Stripe)", async (a, lookup, ct) =>
    {
        var asked = Count(a, "amount");
        var chargeId = Str(a, "charge");
        if (chargeId is not null && a.ContainsKey("payment_intent")) throw new AmountUnknown($"the refund names both a charge and a payment intent, {Unverifiable}");
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
        return new Money(asked ?? left, NeedCurrency(charge));
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
        var asked = Count(a, "amount_to_capture");
        var intent = await lookup(StripeObject.PaymentIntent, Str(a, "payment_intent")!, ct);
        return new Money(asked ?? NeedAmount(intent, "amount_capturable"), NeedCurrency(intent));
    });

    /// <summary>Updating a payment intent's amount or currency: the new amount in the new currency (what is not given is the intent's).</summary>
    public static readonly MoneyRule IntentUpdate = new("the new `amount` in the new `currency`; what is not given is the intent's (read from Stripe); neither given: moves nothing", async (a, lookup, ct) =>
    {
        var (amount, currency) = (Count(a, "amount"), Str(a, "currency")?.ToLowerInvariant());
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

    /// <summary>A new invoice moves nothing until it is finalized and collected, unless auto_advance lets Stripe do that later, unchecked.</summary>
    public static readonly MoneyRule NewInvoice = new("moves nothing until finalized and collected by the operations below; `auto_advance: true` is refused (Stripe would collect later, unchecked)", (a, _, _) => True(a, "auto_advance")
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

    private static Money? PerPeriod(IEnumerable<(string Id, JsonElement Price, long Quantity)> items, string? currency, string what) =>
        Sum(items.Select(i => PriceTimes(i.Price, i.Quantity, currency)), what);

    /// <summary>
    /// Updating a subscription: what it bills per period afterwards (its items read from Stripe, with `items` applied:
    /// swaps, quantities, removals, additions) whenever the call can bill — it changes items, resumes collection
    /// (`pause_collection` cleared), ends a trial or moves the billing anchor. Other changes move nothing.
    /// </summary>
    public static readonly MoneyRule SubscriptionUpdate = new("what the subscription bills per period after the change: its items (read from Stripe) with `items` applied (swaps, quantities, removals, additions), whenever the call changes items, resumes collection (`pause_collection` cleared, or a `resumes_at` set), keeps it billing (`cancel_at_period_end: false`, any `cancel_at`), ends a trial (`trial_end`) or moves `billing_cycle_anchor`; otherwise moves nothing", async (a, lookup, ct) =>
    {
        // Collection resumes now (cleared) or later on its own (resumes_at): either way the subscription bills again.
        var resumes = a.TryGetValue("pause_collection", out var pause) && (pause.ValueKind == JsonValueKind.String
            || pause.ValueKind == JsonValueKind.Object && pause.TryGetProperty("resumes_at", out var later) && later.ValueKind != JsonValueKind.Null);
        // Un-cancelling, or moving the cancellation, keeps a subscription that was ending billing.
        var keeps = a.TryGetValue("cancel_at_period_end", out var end) && end.ValueKind != JsonValueKind.True || a.ContainsKey("cancel_at");
        var hasItems = a.TryGetValue("items", out var changes) && changes.ValueKind == JsonValueKind.Array;
        if (!hasItems && !resumes && !keeps && !a.ContainsKey("trial_end") && !a.ContainsKey("billing_cycle_anchor")) return null;
        var id = Str(a, "subscription")!;
        var sub = await lookup(StripeObject.Subscription, id, ct);
        var items = SubscriptionItems(sub);
        var i = 0;
        foreach (var change in hasItems ? changes.EnumerateArray() : Enumerable.Empty<JsonElement>())
        {
            var path = $"items[{i++}]";
            var itemId = Str(change, "id");
            JsonElement? price = Str(change, "price") is not null || change.TryGetProperty("price_data", out _) ? await LinePrice(change, path, lookup, ct) : null;
            var quantity = Count(change, "quantity", path + ".quantity");
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
        return PerPeriod(items, Str(sub, "currency")?.ToLowerInvariant(), $"subscription {id}");
    });

    /// <summary>Cancelling moves nothing, unless invoice_now bills pending usage and prorations, which cannot be known before.</summary>
    public static readonly MoneyRule SubscriptionCancel = new("moves nothing; `invoice_now: true` is refused (it bills usage and prorations not known before the call)", (a, _, _) => True(a, "invoice_now")
        ? throw new AmountUnknown($"invoice_now bills the subscription's pending usage and prorations, which are not known before the call, {Unverifiable}")
        : Task.FromResult<Money?>(null));

    /// <summary>A subscription's first and every later invoice: quantity × unit amount over its items, in its `currency`.</summary>
    public static readonly MoneyRule NewSubscription = LineItems("items");
}
