using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>
/// Quotes: draft → open (finalized) → accepted or canceled. Accepting one bills it: a draft invoice for one-time
/// prices, a subscription (its one-time prices on the first invoice) when any price is recurring.
/// </summary>
internal static partial class Billing
{
    private static readonly string[] QuoteFields =
        ["customer", "line_items", "collection_method", "description", "expires_at", "header", "footer", "metadata", "subscription_data", "default_tax_rates", "invoice_settings"];

    private static void RegisterQuotes(Router r)
    {
        r.Post("/v1/quotes", c =>
         {
             c.P.Allow([.. QuoteFields, "test_clock", "from_quote", "discounts", "automatic_tax", "on_behalf_of", "transfer_data", "application_fee_amount", "application_fee_percent"]);
             var id = c.State.NewId("qt");
             var quote = new JsonObject
             {
                 ["id"] = id,
                 ["object"] = "quote",
                 ["amount_subtotal"] = 0,
                 ["amount_total"] = 0,
                 ["application"] = null,
                 ["application_fee_amount"] = null,
                 ["application_fee_percent"] = null,
                 ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null, ["provider"] = null, ["status"] = null },
                 ["collection_method"] = "charge_automatically",
                 ["computed"] = null,
                 ["created"] = c.Now,
                 ["currency"] = null,
                 ["customer"] = null,
                 ["default_tax_rates"] = new JsonArray(),
                 ["description"] = null,
                 ["discounts"] = new JsonArray(),
                 ["expires_at"] = c.Now + 30 * 86400,
                 ["footer"] = null,
                 ["from_quote"] = null,
                 ["header"] = null,
                 ["invoice"] = null,
                 ["invoice_settings"] = new JsonObject { ["days_until_due"] = null, ["issuer"] = new JsonObject { ["type"] = "self" } },
                 ["livemode"] = false,
                 ["metadata"] = new JsonObject(),
                 ["number"] = null,
                 ["on_behalf_of"] = null,
                 ["status"] = "draft",
                 ["status_transitions"] = new JsonObject { ["accepted_at"] = null, ["canceled_at"] = null, ["finalized_at"] = null },
                 ["subscription"] = null,
                 ["subscription_data"] = new JsonObject { ["description"] = null, ["effective_date"] = null, ["metadata"] = null, ["trial_period_days"] = null },
                 ["subscription_schedule"] = null,
                 ["test_clock"] = null,
                 ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
                 ["transfer_data"] = null,
             };
             c.State.LineItems[id] = [];
             ApplyQuote(c, quote);
             return c.Create("quote", quote);
         })
         .Get("/v1/quotes/{id}", c => c.Get("quote", c.Id))
         .Post("/v1/quotes/{id}", c =>
         {
             c.P.Allow(QuoteFields);
             var quote = c.Get("quote", c.Id);
             if (Status(quote) != "draft") throw StripeError.InvalidState($"Only draft quotes can be updated; {c.Id} is {Status(quote)}.");
             ApplyQuote(c, quote);
             return quote;
         })
         .Post("/v1/quotes/{id}/finalize", c =>
         {
             c.P.Allow("expires_at");
             var quote = c.Get("quote", c.Id);
             if (Status(quote) != "draft") throw StripeError.InvalidState($"Only draft quotes can be finalized; {c.Id} is {Status(quote)}.");
             if (quote["customer"] is null) throw StripeError.Invalid("A quote needs a customer before it can be finalized.", "customer", "parameter_missing");
             if (c.State.LineItems[c.Id].Count == 0) throw StripeError.Invalid("A quote needs at least one line item before it can be finalized.", "line_items", "parameter_missing");
             if (c.P.Int("expires_at") is { } exp) quote["expires_at"] = exp;
             if (quote["expires_at"]!.Long() <= c.Now) throw StripeError.Invalid("The quote's expires_at is in the past.", "expires_at");
             quote["status"] = "open";
             quote["number"] = $"QT-{c.Id[3..11].ToUpperInvariant()}-0001";
             quote["status_transitions"]!["finalized_at"] = c.Now;
             c.Emit("quote.finalized", quote);
             return quote;
         })
         .Post("/v1/quotes/{id}/accept", c =>
         {
             c.P.Allow();
             var quote = c.Get("quote", c.Id);
             if (Status(quote) != "open") throw StripeError.InvalidState($"Only open (finalized) quotes can be accepted; {c.Id} is {Status(quote)}.");
             if (quote["expires_at"]!.Long() <= c.Now) throw StripeError.InvalidState($"The quote {c.Id} expired at {quote["expires_at"]}.");
             AcceptQuote(c, quote);
             return quote;
         })
         .Post("/v1/quotes/{id}/cancel", c =>
         {
             c.P.Allow();
             var quote = c.Get("quote", c.Id);
             if (Status(quote) is not ("draft" or "open")) throw StripeError.InvalidState($"Only draft or open quotes can be canceled; {c.Id} is {Status(quote)}.");
             quote["status"] = "canceled";
             quote["status_transitions"]!["canceled_at"] = c.Now;
             c.Emit("quote.canceled", quote);
             return quote;
         })
         .Get("/v1/quotes/{id}/line_items", c =>
         {
             c.P.Allow(Lists.PagingParams);
             c.Get("quote", c.Id);
             return Lists.Page(c, c.State.LineItems[c.Id].Select(n => n!.AsObject()), $"/v1/quotes/{c.Id}/line_items");
         })
         .Get("/v1/quotes/{id}/computed_upfront_line_items", c =>
         {
             c.P.Allow(Lists.PagingParams);
             var quote = c.Get("quote", c.Id);
             var upfront = c.State.LineItems[c.Id].Select(n => n!.AsObject())
                 .Where(li => quote["subscription_data"]!["trial_period_days"] is null || Lists.Text(li["price"]!["type"]) == "one_time");
             return Lists.Page(c, upfront, $"/v1/quotes/{c.Id}/computed_upfront_line_items");
         })
         .Get("/v1/quotes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "status", "test_clock"]);
             c.P.Enum("status", "accepted", "canceled", "draft", "open");
             return Lists.Page(c, c.All("quote").Where(c.P, "customer", "status"));
         });
    }

    private static void ApplyQuote(Call c, JsonObject quote)
    {
        var p = c.P;
        if (p.Str("customer") is { } cus) quote["customer"] = c.Get("customer", cus, "customer")["id"]!.DeepClone();
        foreach (var f in new[] { "description", "header", "footer" })
            if (p.Has(f)) quote[f] = p.IsEmpty(f) ? null : p.Str(f);
        if (p.Enum("collection_method", "charge_automatically", "send_invoice") is { } cm) quote["collection_method"] = cm;
        if (p.Int("expires_at") is { } exp)
        {
            if (exp <= c.Now) throw StripeError.Invalid("expires_at must be in the future.", "expires_at");
            quote["expires_at"] = exp;
        }
        if (p.Obj("invoice_settings") is { } inv)
        {
            inv.Allow("days_until_due", "issuer");
            if (inv.Int("days_until_due") is { } d) quote["invoice_settings"]!["days_until_due"] = d;
        }
        if (quote["collection_method"]!.GetValue<string>() == "send_invoice" && quote["invoice_settings"]!["days_until_due"] is null)
            throw StripeError.Invalid("Quotes with collection_method `send_invoice` need invoice_settings[days_until_due].", "invoice_settings[days_until_due]", "parameter_missing");
        if (p.Obj("subscription_data") is { } sd)
        {
            sd.Allow("description", "effective_date", "metadata", "trial_period_days", "billing_mode", "billing_cycle_anchor");
            var data = quote["subscription_data"]!;
            if (sd.Has("description")) data["description"] = sd.Str("description");
            if (sd.Int("trial_period_days") is { } t)
            {
                if (t < 1 || t > 730) throw StripeError.Invalid("trial_period_days must be between 1 and 730.", sd.Name("trial_period_days"));
                data["trial_period_days"] = t;
            }
            if (sd.Metadata() is { } md) data["metadata"] = md;
        }
        if (p.Has("default_tax_rates")) quote["default_tax_rates"] = TaxRates(c, p, "default_tax_rates");
        if (p.Has("line_items"))
        {
            var items = new JsonArray();
            foreach (var li in p.Arr("line_items"))
            {
                li.Allow("price", "quantity", "tax_rates", "discounts", "price_data", "id");
                var price = c.Get("price", li.Req("price"), li.Name("price"));
                if (price["active"]?.GetValue<bool>() == false) throw StripeError.Invalid($"The price {price["id"]} is inactive.", li.Name("price"));
                var quantity = li.Int("quantity") ?? 1;
                if (quantity < 1) throw StripeError.Invalid("Quantity must be at least 1.", li.Name("quantity"));
                var subtotal = price["unit_amount"]!.Long() * quantity;
                var rates = li.Has("tax_rates") ? TaxRates(c, li, "tax_rates") : quote["default_tax_rates"]!.AsArray();
                var taxes = rates.Select(rate => Tax(subtotal, rate!.AsObject())).ToList();
                var exclusive = taxes.Where(t => Lists.Text(t["tax_behavior"]) == "exclusive").Sum(t => t["amount"]!.Long());
                items.Add(new JsonObject
                {
                    ["id"] = c.State.NewId("li"),
                    ["object"] = "item",
                    ["amount_discount"] = 0,
                    ["amount_subtotal"] = subtotal,
                    ["amount_tax"] = taxes.Sum(t => t["amount"]!.Long()),
                    ["amount_total"] = subtotal + exclusive,
                    ["currency"] = price["currency"]!.DeepClone(),
                    ["description"] = c.Find("product", price["product"]!.GetValue<string>())?["name"]?.DeepClone(),
                    ["metadata"] = new JsonObject(),
                    ["price"] = price.DeepClone(),
                    ["quantity"] = quantity,
                    ["taxes"] = new JsonArray(taxes.Select(t => (JsonNode)new JsonObject { ["amount"] = t["amount"]!.DeepClone(), ["rate"] = rates[taxes.IndexOf(t)]!.DeepClone(), ["taxability_reason"] = "standard_rated", ["taxable_amount"] = t["taxable_amount"]!.DeepClone() }).ToArray()),
                });
            }
            var currencies = items.Select(i => Lists.Text(i!["currency"])).Distinct().ToList();
            if (currencies.Count > 1) throw StripeError.Invalid("All prices on a quote must have the same currency.", "line_items");
            var recurring = items.Where(i => Lists.Text(i!["price"]!["type"]) == "recurring").Select(i => i!["price"]!["recurring"]!)
                .Select(r => (Lists.Text(r["interval"]), r["interval_count"]!.Long())).Distinct().ToList();
            if (recurring.Count > 1) throw StripeError.Invalid("All recurring prices on a quote must have the same billing interval.", "line_items");
            c.State.LineItems[quote["id"]!.GetValue<string>()] = items;
            quote["currency"] = currencies.FirstOrDefault();
        }
        if (p.Metadata() is { } meta) Core.Merge(quote, meta);
        QuoteTotals(c, quote);
    }

    private static void QuoteTotals(Call c, JsonObject quote)
    {
        var items = c.State.LineItems[quote["id"]!.GetValue<string>()].Select(n => n!.AsObject()).ToList();
        var trial = quote["subscription_data"]!["trial_period_days"] is not null;
        var recurring = items.Where(i => Lists.Text(i["price"]!["type"]) == "recurring").ToList();
        var upfront = items.Where(i => !trial || Lists.Text(i["price"]!["type"]) == "one_time").ToList();
        long Sum(IEnumerable<JsonObject> list, string field) => list.Sum(i => i[field]!.Long());
        JsonObject Details(IEnumerable<JsonObject> list) => new() { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = Sum(list, "amount_tax") };
        quote["amount_subtotal"] = Sum(upfront, "amount_subtotal");
        quote["amount_total"] = Sum(upfront, "amount_total");
        quote["total_details"] = Details(upfront);
        var interval = recurring.FirstOrDefault()?["price"]!["recurring"];
        quote["computed"] = new JsonObject
        {
            ["recurring"] = interval is null ? null : new JsonObject
            {
                ["amount_subtotal"] = Sum(recurring, "amount_subtotal"),
                ["amount_total"] = Sum(recurring, "amount_total"),
                ["interval"] = interval["interval"]!.DeepClone(),
                ["interval_count"] = interval["interval_count"]!.DeepClone(),
                ["total_details"] = Details(recurring),
            },
            ["upfront"] = new JsonObject
            {
                ["amount_subtotal"] = Sum(upfront, "amount_subtotal"),
                ["amount_total"] = Sum(upfront, "amount_total"),
                ["line_items"] = Lists.Embedded(upfront.Select(i => (JsonNode)i.DeepClone()), $"/v1/quotes/{quote["id"]}/computed_upfront_line_items"),
                ["total_details"] = Details(upfront),
            },
        };
    }

    private static void AcceptQuote(Call c, JsonObject quote)
    {
        var id = quote["id"]!.GetValue<string>();
        var items = c.State.LineItems[id].Select(n => n!.AsObject()).ToList();
        var customer = quote["customer"]!.GetValue<string>();
        string S(long n) => n.ToString(CultureInfo.InvariantCulture);
        // Each line's taxes name their rates (its own, or the quote's defaults).
        JsonArray Rates(JsonObject li) => new(li["taxes"]!.AsArray().Select(t => (JsonNode)t!["rate"]!["id"]!.GetValue<string>()).ToArray());
        var days = quote["invoice_settings"]!["days_until_due"];
        var method = quote["collection_method"]!.GetValue<string>();
        if (items.Any(i => Lists.Text(i["price"]!["type"]) == "recurring"))
        {
            var form = new JsonObject
            {
                ["customer"] = customer,
                ["collection_method"] = method,
                ["items"] = new JsonArray(items.Where(i => Lists.Text(i["price"]!["type"]) == "recurring")
                    .Select(i => (JsonNode)new JsonObject { ["price"] = i["price"]!["id"]!.GetValue<string>(), ["quantity"] = S(i["quantity"]!.Long()), ["tax_rates"] = Rates(i) }).ToArray()),
                ["add_invoice_items"] = new JsonArray(items.Where(i => Lists.Text(i["price"]!["type"]) == "one_time")
                    .Select(i => (JsonNode)new JsonObject { ["price"] = i["price"]!["id"]!.GetValue<string>(), ["quantity"] = S(i["quantity"]!.Long()), ["tax_rates"] = Rates(i) }).ToArray()),
            };
            if (days is not null && method == "send_invoice") form["days_until_due"] = S(days.Long());
            if (quote["subscription_data"]!["trial_period_days"] is { } trial) form["trial_period_days"] = S(trial.Long());
            if (quote["subscription_data"]!["description"] is { } description) form["description"] = description.DeepClone();
            var sub = CreateSubscription(c.Inner("POST", "/v1/subscriptions", form));
            quote["subscription"] = sub["id"]!.DeepClone();
            quote["invoice"] = sub["latest_invoice"]!.DeepClone();
            if (c.Find("invoice", Lists.Text(sub["latest_invoice"])!) is { } first) first["parent"]!["quote_details"] = new JsonObject { ["quote"] = id };
        }
        else
        {
            var form = new JsonObject { ["customer"] = customer, ["collection_method"] = method };
            if (days is not null && method == "send_invoice") form["days_until_due"] = S(days.Long());
            if (quote["description"] is { } description) form["description"] = description.DeepClone();
            var invoice = CreateInvoice(c.Inner("POST", "/v1/invoices", form));
            var invoiceId = invoice["id"]!.GetValue<string>();
            foreach (var li in items)
                CreateInvoiceItem(c.Inner("POST", "/v1/invoiceitems", new JsonObject
                {
                    ["customer"] = customer,
                    ["invoice"] = invoiceId,
                    ["pricing"] = new JsonObject { ["price"] = li["price"]!["id"]!.GetValue<string>() },
                    ["quantity"] = S(li["quantity"]!.Long()),
                    ["tax_rates"] = Rates(li),
                }));
            invoice["parent"] = new JsonObject { ["quote_details"] = new JsonObject { ["quote"] = id }, ["subscription_details"] = null, ["type"] = "quote_details" };
            quote["invoice"] = invoiceId;
        }
        quote["status"] = "accepted";
        quote["status_transitions"]!["accepted_at"] = c.Now;
        c.Emit("quote.accepted", quote);
    }
}
