using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Invoices, invoice items, subscriptions, the billing portal, meter events.</summary>
internal static class Billing
{
    public static void Register(Router r)
    {
        r.Post("/v1/invoices", CreateInvoice)
         .Get("/v1/invoices/search", c => Lists.Search(c, c.All("invoice"), InvoiceSearch))
         .Get("/v1/invoices/{id}", c => c.Get("invoice", c.Id))
         .Delete("/v1/invoices/{id}", c =>
         {
             var inv = c.Get("invoice", c.Id);
             if (Status(inv) != "draft") throw StripeError.InvalidState("You can only delete draft invoices.");
             foreach (var ii in c.All("invoiceitem").Where(i => Lists.Text(i["invoice"]) == c.Id).ToList()) c.State.Remove(c.Account, "invoiceitem", ii["id"]!.GetValue<string>());
             c.State.Remove(c.Account, "invoice", c.Id);
             return new JsonObject { ["id"] = c.Id, ["object"] = "invoice", ["deleted"] = true };
         })
         .Post("/v1/invoices/{id}/finalize", c =>
         {
             c.P.Allow("auto_advance");
             var inv = c.Get("invoice", c.Id);
             if (Status(inv) != "draft") throw StripeError.InvalidState($"This invoice is already finalized (status {Status(inv)}).");
             if (c.P.Bool("auto_advance") is { } aa) inv["auto_advance"] = aa;
             Finalize(c, inv);
             return inv;
         })
         .Post("/v1/invoices/{id}/pay", c =>
         {
             c.P.Allow("paid_out_of_band", "payment_method", "off_session", "forgive", "source", "mandate");
             return Pay(c, c.Get("invoice", c.Id), c.P.Str("payment_method"), c.P.Bool("paid_out_of_band") == true);
         })
         .Post("/v1/invoices/{id}/send", c =>
         {
             c.P.Allow();
             var inv = c.Get("invoice", c.Id);
             if (Lists.Text(inv["collection_method"]) != "send_invoice")
                 throw StripeError.InvalidState("You can only manually send an invoice if its collection method is 'send_invoice'.");
             if (Status(inv) != "open") throw StripeError.InvalidState($"You can only send open invoices; this one is {Status(inv)}.");
             c.Emit("invoice.sent", inv);
             return inv;
         })
         .Post("/v1/invoices/{id}/void", c =>
         {
             c.P.Allow();
             var inv = c.Get("invoice", c.Id);
             if (Status(inv) != "open")
                 throw StripeError.InvalidState(Status(inv) == "draft"
                     ? "You can't void a draft invoice; delete it instead."
                     : $"You can only void open invoices; this one is {Status(inv)}.");
             inv["status"] = "void";
             inv["status_transitions"]!["voided_at"] = c.Now;
             c.Emit("invoice.voided", inv);
             return inv;
         })
         .Post("/v1/invoices/{id}/mark_uncollectible", c =>
         {
             c.P.Allow();
             var inv = c.Get("invoice", c.Id);
             if (Status(inv) != "open") throw StripeError.InvalidState($"You can only mark open invoices as uncollectible; this one is {Status(inv)}.");
             inv["status"] = "uncollectible";
             inv["status_transitions"]!["marked_uncollectible_at"] = c.Now;
             c.Emit("invoice.marked_uncollectible", inv);
             return inv;
         })
         .Get("/v1/invoices", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "status", "subscription", "collection_method", "due_date"]);
             var items = c.All("invoice").Where(c.P, "customer", "status", "collection_method");
             if (c.P.Str("subscription") is { } sub) items = items.Where(i => SubscriptionOf(i) == sub);
             return Lists.Page(c, items);
         });

        r.Post("/v1/invoiceitems", CreateInvoiceItem)
         .Get("/v1/invoiceitems/{id}", c => c.Get("invoiceitem", c.Id))
         .Get("/v1/invoiceitems", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "invoice", "pending"]);
             var items = c.All("invoiceitem").Where(c.P, "customer", "invoice");
             if (c.P.Bool("pending") == true) items = items.Where(i => i["invoice"] is null);
             return Lists.Page(c, items);
         });

        r.Post("/v1/subscriptions", CreateSubscription)
         .Get("/v1/subscriptions/search", c => Lists.Search(c, c.All("subscription"), SubscriptionSearch))
         .Get("/v1/subscriptions/{id}", c => c.Get("subscription", c.Id))
         .Post("/v1/subscriptions/{id}", UpdateSubscription)
         .Delete("/v1/subscriptions/{id}", c =>
         {
             c.P.Allow("invoice_now", "prorate", "cancellation_details");
             var sub = c.Get("subscription", c.Id);
             if (Status(sub) == "canceled") throw StripeError.InvalidState("This subscription is already canceled.");
             if (c.P.Obj("cancellation_details") is { } cd) SetCancellationDetails(sub, cd);
             return Cancel(c, sub);
         })
         .Get("/v1/subscriptions", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "price", "status", "collection_method", "current_period_end", "current_period_start", "test_clock"]);
             var items = c.All("subscription").Where(c.P, "customer", "collection_method");
             var status = c.P.Enum("status", "active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "trialing", "paused", "all", "ended");
             items = status switch
             {
                 null => items.Where(s => Status(s) != "canceled"),
                 "all" => items,
                 "ended" => items.Where(s => Status(s) is "canceled" or "incomplete_expired"),
                 _ => items.Where(s => Status(s) == status),
             };
             if (c.P.Str("price") is { } price)
                 items = items.Where(s => s["items"]!["data"]!.AsArray().Any(i => Lists.Text(i!["price"]) == price));
             return Lists.Page(c, items);
         });

        r.Post("/v1/billing_portal/sessions", c =>
        {
            var p = c.P;
            p.Allow("customer", "return_url", "configuration", "locale", "flow_data", "on_behalf_of");
            var customer = c.Get("customer", p.Req("customer"), "customer")["id"]!.GetValue<string>();
            var id = c.State.NewId("bps");
            return c.Create("billing_portal.session", new JsonObject
            {
                ["id"] = id,
                ["object"] = "billing_portal.session",
                ["configuration"] = p.Str("configuration") ?? "bpc_sandboxdefault",
                ["created"] = c.Now,
                ["customer"] = customer,
                ["flow"] = null,
                ["livemode"] = false,
                ["locale"] = p.Str("locale"),
                ["on_behalf_of"] = null,
                ["return_url"] = p.Str("return_url"),
                ["url"] = $"https://billing.stripe.com/p/session/test_{id[4..]}",
            });
        });

        r.Post("/v1/billing/meter_events", c =>
        {
            var p = c.P;
            p.Allow("event_name", "payload", "identifier", "timestamp");
            var name = p.Req("event_name");
            var payload = p.Obj("payload") ?? throw StripeError.ParamMissing("payload");
            var customer = payload.Req("stripe_customer_id");
            c.Get("customer", customer, "payload[stripe_customer_id]");
            var value = payload.Str("value") ?? throw StripeError.ParamMissing("payload[value]");
            if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                throw StripeError.Invalid($"Invalid payload[value]: {value} is not a number.", "payload[value]");
            var identifier = p.Str("identifier") ?? c.State.NewId("mev");
            if (c.Find("billing.meter_event", identifier) is not null)
                throw StripeError.Invalid($"An event already exists with identifier {identifier}.", "identifier");
            var timestamp = p.Int("timestamp") ?? c.Now;
            if (timestamp < c.Now - 35 * 86400 || timestamp > c.Now + 300)
                throw StripeError.Invalid("The timestamp must be within the past 35 calendar days and no more than 5 minutes in the future.", "timestamp");
            var ev = new JsonObject
            {
                ["id"] = identifier,
                ["object"] = "billing.meter_event",
                ["created"] = c.Now,
                ["event_name"] = name,
                ["identifier"] = identifier,
                ["livemode"] = false,
                ["payload"] = payload.Node.DeepClone(),
                ["timestamp"] = timestamp,
            };
            c.State.Add(c.Account, "billing.meter_event", ev);
            var result = (JsonObject)ev.DeepClone();
            result.Remove("id");
            return result;
        });
    }

    public static string Status(JsonObject o) => o["status"]!.GetValue<string>();

    private static string? SubscriptionOf(JsonObject invoice) => Lists.Text(invoice["parent"]?["subscription_details"]?["subscription"]);

    // ---- invoices ----

    private static JsonObject CreateInvoice(Call c)
    {
        var p = c.P;
        p.Allow("customer", "collection_method", "days_until_due", "due_date", "description", "auto_advance", "pending_invoice_items_behavior", "metadata",
            "footer", "default_payment_method", "currency", "subscription", "statement_descriptor", "custom_fields", "automatic_tax");
        var customer = c.Get("customer", p.Req("customer"), "customer");
        var method = p.Enum("collection_method", "charge_automatically", "send_invoice") ?? "charge_automatically";
        var days = p.Int("days_until_due");
        var due = p.Int("due_date");
        if (method == "send_invoice" && days is null && due is null)
            throw StripeError.Invalid("Invoices with collection_method `send_invoice` need days_until_due or due_date.", "days_until_due", "parameter_missing");
        if (method != "send_invoice" && (days is not null || due is not null))
            throw StripeError.Invalid("days_until_due and due_date can only be set when collection_method is `send_invoice`.", days is not null ? "days_until_due" : "due_date");
        if (p.Str("default_payment_method") is { } dpm) c.Get("payment_method", dpm, "default_payment_method");
        var invoice = NewInvoice(c, customer, method, p.Str("currency") ?? "usd", "manual", null);
        invoice["auto_advance"] = p.Bool("auto_advance") ?? false;
        invoice["description"] = p.Str("description");
        invoice["footer"] = p.Str("footer");
        invoice["default_payment_method"] = p.Str("default_payment_method");
        invoice["statement_descriptor"] = p.Str("statement_descriptor");
        invoice["metadata"] = p.Metadata() ?? new JsonObject();
        invoice["due_date"] = due ?? (days is null ? null : c.Now + days * 86400);
        c.Create("invoice", invoice);
        if (p.Enum("pending_invoice_items_behavior", "include", "exclude") == "include")
        {
            foreach (var item in c.All("invoiceitem").Where(i => i["invoice"] is null && Lists.Text(i["customer"]) == customer["id"]!.GetValue<string>()).Reverse())
                item["invoice"] = invoice["id"]!.GetValue<string>();
        }
        Recompute(c, invoice);
        return invoice;
    }

    private static JsonObject NewInvoice(Call c, JsonObject customer, string method, string currency, string reason, string? subscription)
    {
        var id = c.State.NewId("in");
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoice",
            ["account_country"] = "US",
            ["account_name"] = "StripeMcp Sandbox",
            ["account_tax_ids"] = null,
            ["amount_due"] = 0,
            ["amount_overpaid"] = 0,
            ["amount_paid"] = 0,
            ["amount_remaining"] = 0,
            ["amount_shipping"] = 0,
            ["application"] = null,
            ["attempt_count"] = 0,
            ["attempted"] = false,
            ["auto_advance"] = false,
            ["automatic_tax"] = new JsonObject { ["disabled_reason"] = null, ["enabled"] = false, ["liability"] = null, ["provider"] = null, ["status"] = null },
            ["automatically_finalizes_at"] = null,
            ["billing_reason"] = reason,
            ["collection_method"] = method,
            ["confirmation_secret"] = null,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["custom_fields"] = null,
            ["customer"] = customer["id"]!.DeepClone(),
            ["customer_address"] = customer["address"]?.DeepClone(),
            ["customer_email"] = customer["email"]?.DeepClone(),
            ["customer_name"] = customer["name"]?.DeepClone(),
            ["customer_phone"] = customer["phone"]?.DeepClone(),
            ["customer_shipping"] = null,
            ["customer_tax_exempt"] = customer["tax_exempt"]?.DeepClone(),
            ["customer_tax_ids"] = new JsonArray(),
            ["default_payment_method"] = null,
            ["default_source"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = null,
            ["discounts"] = new JsonArray(),
            ["due_date"] = null,
            ["effective_at"] = null,
            ["ending_balance"] = null,
            ["footer"] = null,
            ["from_invoice"] = null,
            ["hosted_invoice_url"] = null,
            ["invoice_pdf"] = null,
            ["issuer"] = new JsonObject { ["type"] = "self" },
            ["last_finalization_error"] = null,
            ["latest_revision"] = null,
            ["lines"] = Lists.Embedded([], $"/v1/invoices/{id}/lines"),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["next_payment_attempt"] = null,
            ["number"] = null,
            ["on_behalf_of"] = null,
            ["parent"] = subscription is null ? null : new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscription },
                ["type"] = "subscription_details",
            },
            ["payment_settings"] = new JsonObject { ["default_mandate"] = null, ["payment_method_options"] = null, ["payment_method_types"] = null },
            ["period_end"] = c.Now,
            ["period_start"] = c.Now,
            ["post_payment_credit_notes_amount"] = 0,
            ["pre_payment_credit_notes_amount"] = 0,
            ["receipt_number"] = null,
            ["rendering"] = null,
            ["shipping_cost"] = null,
            ["shipping_details"] = null,
            ["starting_balance"] = 0,
            ["statement_descriptor"] = null,
            ["status"] = "draft",
            ["status_transitions"] = new JsonObject { ["finalized_at"] = null, ["marked_uncollectible_at"] = null, ["paid_at"] = null, ["voided_at"] = null },
            ["subtotal"] = 0,
            ["subtotal_excluding_tax"] = 0,
            ["test_clock"] = null,
            ["total"] = 0,
            ["total_discount_amounts"] = new JsonArray(),
            ["total_excluding_tax"] = 0,
            ["total_pretax_credit_amounts"] = new JsonArray(),
            ["total_taxes"] = new JsonArray(),
            ["webhooks_delivered_at"] = null,
        };
    }

    /// <summary>Lines and totals from the invoice items that belong to it (and, for subscription invoices, its subscription lines).</summary>
    private static void Recompute(Call c, JsonObject invoice)
    {
        var id = invoice["id"]!.GetValue<string>();
        var lines = new List<JsonNode>();
        foreach (var node in invoice["lines"]!["data"]!.AsArray())
            if (Lists.Text(node!["parent"]?["type"]) == "subscription_item_details") lines.Add(node);
        foreach (var item in c.All("invoiceitem").Where(i => Lists.Text(i["invoice"]) == id).Reverse())
        {
            lines.Add(new JsonObject
            {
                ["id"] = "il_" + item["id"]!.GetValue<string>()[3..],
                ["object"] = "line_item",
                ["amount"] = item["amount"]!.DeepClone(),
                ["currency"] = item["currency"]!.DeepClone(),
                ["description"] = item["description"]?.DeepClone(),
                ["discount_amounts"] = new JsonArray(),
                ["discountable"] = true,
                ["discounts"] = new JsonArray(),
                ["invoice"] = id,
                ["livemode"] = false,
                ["metadata"] = item["metadata"]!.DeepClone(),
                ["parent"] = new JsonObject
                {
                    ["invoice_item_details"] = new JsonObject
                    {
                        ["invoice_item"] = item["id"]!.DeepClone(), ["proration"] = false, ["proration_details"] = new JsonObject { ["credited_items"] = null }, ["subscription"] = null,
                    },
                    ["subscription_item_details"] = null,
                    ["type"] = "invoice_item_details",
                },
                ["period"] = item["period"]!.DeepClone(),
                ["pretax_credit_amounts"] = new JsonArray(),
                ["pricing"] = item["pricing"]?.DeepClone(),
                ["quantity"] = item["quantity"]!.DeepClone(),
                ["subtotal"] = item["amount"]!.DeepClone(),
                ["taxes"] = new JsonArray(),
            });
        }
        invoice["lines"] = Lists.Embedded(lines, $"/v1/invoices/{id}/lines");
        var total = lines.Sum(l => l!["amount"]!.Long());
        invoice["subtotal"] = total;
        invoice["subtotal_excluding_tax"] = total;
        invoice["total"] = total;
        invoice["total_excluding_tax"] = total;
        invoice["amount_due"] = total;
        invoice["amount_remaining"] = total - invoice["amount_paid"]!.Long();
        if (lines.Count > 0) invoice["currency"] = lines[0]!["currency"]!.DeepClone();
    }

    private static void Finalize(Call c, JsonObject inv)
    {
        var customer = c.Get("customer", inv["customer"]!.GetValue<string>());
        var seq = customer["next_invoice_sequence"]!.Long();
        customer["next_invoice_sequence"] = seq + 1;
        var id = inv["id"]!.GetValue<string>();
        inv["number"] = $"{customer["invoice_prefix"]}-{seq:D4}";
        inv["status"] = "open";
        inv["status_transitions"]!["finalized_at"] = c.Now;
        inv["effective_at"] = c.Now;
        inv["hosted_invoice_url"] = $"https://invoice.stripe.com/i/acct_sandbox/test_{id[3..]}";
        inv["invoice_pdf"] = $"https://pay.stripe.com/invoice/acct_sandbox/test_{id[3..]}/pdf";
        inv["starting_balance"] = 0;
        inv["ending_balance"] = 0;
        c.Emit("invoice.finalized", inv);
        if (inv["amount_due"]!.Long() == 0) MarkPaid(c, inv);
    }

    private static void MarkPaid(Call c, JsonObject inv)
    {
        inv["status"] = "paid";
        inv["amount_paid"] = inv["amount_due"]!.DeepClone();
        inv["amount_remaining"] = 0;
        inv["status_transitions"]!["paid_at"] = c.Now;
        c.Emit("invoice.paid", inv);
    }

    /// <summary>Pays an open invoice: out of band, or by charging a payment method (declines come back as 402 card_error).</summary>
    public static JsonObject Pay(Call c, JsonObject inv, string? paymentMethod, bool outOfBand)
    {
        if (Status(inv) == "draft") Finalize(c, inv);
        if (Status(inv) == "paid") throw StripeError.InvalidState("Invoice is already paid.");
        if (Status(inv) != "open") throw StripeError.InvalidState($"You can only pay open invoices; this one is {Status(inv)}.");
        var due = inv["amount_remaining"]!.Long();
        if (outOfBand || due == 0)
        {
            MarkPaid(c, inv);
            return inv;
        }
        var customerId = inv["customer"]!.GetValue<string>();
        var pm = paymentMethod ?? Lists.Text(inv["default_payment_method"]) ?? Payments.DefaultPaymentMethod(c, customerId)
            ?? throw StripeError.Invalid("This customer has no attached payment source or default payment method. Please consider adding a default payment method.", "payment_method", "invoice_no_payment_method");
        inv["attempted"] = true;
        inv["attempt_count"] = inv["attempt_count"]!.Long() + 1;
        var pi = Payments.NewPaymentIntent(c, Math.Max(due, 50), inv["currency"]!.GetValue<string>(), customerId, $"Payment for Invoice {inv["number"]}", null);
        pi["amount"] = due;
        c.Create("payment_intent", pi);
        Payments.Confirm(c, pi, pm); // throws 402 on a decline; the invoice stays open
        MarkPaid(c, inv);
        return inv;
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> InvoiceSearch = new()
    {
        ["customer"] = o => o["customer"], ["status"] = o => o["status"], ["total"] = o => o["total"], ["currency"] = o => o["currency"],
        ["number"] = o => o["number"], ["subscription"] = o => o["parent"]?["subscription_details"]?["subscription"], ["created"] = o => o["created"],
    };

    // ---- invoice items ----

    private static JsonObject CreateInvoiceItem(Call c)
    {
        var p = c.P;
        p.Allow("customer", "invoice", "pricing", "price_data", "amount", "currency", "quantity", "description", "metadata", "period", "subscription", "discountable", "unit_amount_decimal", "tax_behavior");
        var customerId = c.Get("customer", p.Req("customer"), "customer")["id"]!.GetValue<string>();
        JsonObject? invoice = null;
        if (p.Str("invoice") is { } invId)
        {
            invoice = c.Get("invoice", invId, "invoice");
            if (Status(invoice) != "draft") throw StripeError.InvalidState($"You can only add invoice items to draft invoices; {invId} is {Status(invoice)}.", "invoice");
            if (Lists.Text(invoice["customer"]) != customerId) throw StripeError.Invalid($"The invoice {invId} belongs to another customer.", "invoice");
        }
        var quantity = p.Int("quantity") ?? 1;
        if (quantity < 1) throw StripeError.Invalid("Quantity must be at least 1.", "quantity");
        long unit;
        string currency;
        JsonObject? pricing = null;
        if (p.Obj("pricing")?.Str("price") is { } priceId)
        {
            var price = c.Get("price", priceId, "pricing[price]");
            if (Lists.Text(price["type"]) != "one_time") throw StripeError.Invalid($"The price {priceId} is recurring; invoice items take one-time prices.", "pricing[price]");
            unit = price["unit_amount"]!.Long();
            currency = price["currency"]!.GetValue<string>();
            pricing = new JsonObject
            {
                ["price_details"] = new JsonObject { ["price"] = priceId, ["product"] = price["product"]!.DeepClone() },
                ["type"] = "price_details",
                ["unit_amount_decimal"] = unit.ToString(CultureInfo.InvariantCulture),
            };
        }
        else if (p.Int("amount") is { } amount)
        {
            if (p.Has("quantity")) throw StripeError.Invalid("quantity cannot be used with amount; use pricing[price] or unit_amount_decimal.", "quantity");
            unit = amount;
            currency = Core.Currency(p);
        }
        else throw StripeError.Invalid("You must specify either `amount`, `pricing[price]` or `price_data`.", "amount", "parameter_missing");
        var id = c.State.NewId("ii");
        var item = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoiceitem",
            ["amount"] = unit * quantity,
            ["currency"] = currency,
            ["customer"] = customerId,
            ["date"] = c.Now,
            ["description"] = p.Str("description"),
            ["discountable"] = p.Bool("discountable") ?? true,
            ["discounts"] = new JsonArray(),
            ["invoice"] = invoice?["id"]?.DeepClone(),
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["net_amount"] = unit * quantity,
            ["parent"] = null,
            ["period"] = new JsonObject { ["end"] = c.Now, ["start"] = c.Now },
            ["pricing"] = pricing,
            ["proration"] = false,
            ["quantity"] = quantity,
            ["tax_rates"] = new JsonArray(),
            ["test_clock"] = null,
        };
        c.Create("invoiceitem", item);
        if (invoice is not null) Recompute(c, invoice);
        return item;
    }

    // ---- subscriptions ----

    private static long PeriodEnd(long start, string interval, long count)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(start);
        return (interval switch
        {
            "day" => t.AddDays(count),
            "week" => t.AddDays(7 * count),
            "month" => t.AddMonths((int)count),
            _ => t.AddYears((int)count),
        }).ToUnixTimeSeconds();
    }

    private static JsonObject SubscriptionItem(Call c, string subscription, JsonObject price, long quantity, long start, long end) => new()
    {
        ["id"] = c.State.NewId("si", 14),
        ["object"] = "subscription_item",
        ["billing_thresholds"] = null,
        ["created"] = c.Now,
        ["current_period_end"] = end,
        ["current_period_start"] = start,
        ["discounts"] = new JsonArray(),
        ["metadata"] = new JsonObject(),
        ["price"] = price.DeepClone(),
        ["quantity"] = quantity,
        ["subscription"] = subscription,
        ["tax_rates"] = new JsonArray(),
    };

    private static JsonObject RecurringPrice(Call c, P item)
    {
        var price = c.Get("price", item.Req("price"), item.Name("price"));
        if (Lists.Text(price["type"]) != "recurring")
            throw StripeError.Invalid($"The price specified ({price["id"]}) is a one-time price. Subscriptions need recurring prices.", item.Name("price"));
        return price;
    }

    private static JsonObject CreateSubscription(Call c)
    {
        var p = c.P;
        p.Allow("customer", "items", "trial_period_days", "trial_end", "default_payment_method", "payment_behavior", "collection_method", "days_until_due",
            "cancel_at_period_end", "metadata", "description", "proration_behavior", "off_session", "currency", "coupon", "discounts", "payment_settings", "billing_cycle_anchor", "expand");
        var customer = c.Get("customer", p.Req("customer"), "customer");
        var customerId = customer["id"]!.GetValue<string>();
        var itemParams = p.Arr("items").ToList();
        if (itemParams.Count == 0) throw StripeError.ParamMissing("items");
        var prices = itemParams.Select(i => { i.Allow("price", "quantity", "metadata", "price_data", "discounts", "tax_rates"); return (Price: RecurringPrice(c, i), Quantity: i.Int("quantity") ?? 1); }).ToList();
        if (prices.Select(x => x.Price["currency"]!.GetValue<string>()).Distinct().Count() > 1)
            throw StripeError.Invalid("All prices on a subscription must have the same currency.", "items");
        var behaviour = p.Enum("payment_behavior", "allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete") ?? "allow_incomplete";
        var method = p.Enum("collection_method", "charge_automatically", "send_invoice") ?? "charge_automatically";
        var days = p.Int("days_until_due");
        if (method == "send_invoice" && days is null) throw StripeError.ParamMissing("days_until_due");
        var defaultPm = p.Str("default_payment_method");
        if (defaultPm is not null)
        {
            var pm = c.Get("payment_method", defaultPm, "default_payment_method");
            if (Lists.Text(pm["customer"]) != customerId)
                throw StripeError.Invalid($"The payment method {defaultPm} must be attached to customer {customerId} first.", "default_payment_method");
        }
        var trialDays = p.Int("trial_period_days");
        var trialEnd = p.Str("trial_end") is { } te && te != "now" ? p.Int("trial_end") : trialDays is { } td ? c.Now + td * 86400 : null;
        var id = c.State.NewId("sub");
        var start = c.Now;
        var first = prices[0].Price["recurring"]!;
        var end = trialEnd ?? PeriodEnd(start, first["interval"]!.GetValue<string>(), first["interval_count"]!.Long());
        var items = prices.Select(x => (JsonNode)SubscriptionItem(c, id, x.Price, x.Quantity, start, end)).ToList();
        var sub = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["application"] = null,
            ["application_fee_percent"] = null,
            ["automatic_tax"] = new JsonObject { ["disabled_reason"] = null, ["enabled"] = false, ["liability"] = null },
            ["billing_cycle_anchor"] = end,
            ["billing_cycle_anchor_config"] = null,
            ["billing_mode"] = new JsonObject { ["type"] = "classic" },
            ["billing_thresholds"] = null,
            ["cancel_at"] = null,
            ["cancel_at_period_end"] = false,
            ["canceled_at"] = null,
            ["cancellation_details"] = new JsonObject { ["comment"] = null, ["feedback"] = null, ["reason"] = null },
            ["collection_method"] = method,
            ["created"] = c.Now,
            ["currency"] = prices[0].Price["currency"]!.DeepClone(),
            ["customer"] = customerId,
            ["days_until_due"] = days,
            ["default_payment_method"] = defaultPm,
            ["default_source"] = null,
            ["default_tax_rates"] = new JsonArray(),
            ["description"] = p.Str("description"),
            ["discounts"] = new JsonArray(),
            ["ended_at"] = null,
            ["invoice_settings"] = new JsonObject { ["account_tax_ids"] = null, ["issuer"] = new JsonObject { ["type"] = "self" } },
            ["items"] = Lists.Embedded(items, $"/v1/subscription_items?subscription={id}"),
            ["latest_invoice"] = null,
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["next_pending_invoice_item_invoice"] = null,
            ["on_behalf_of"] = null,
            ["pause_collection"] = null,
            ["payment_settings"] = new JsonObject { ["payment_method_options"] = null, ["payment_method_types"] = null, ["save_default_payment_method"] = "off" },
            ["pending_invoice_item_interval"] = null,
            ["pending_setup_intent"] = null,
            ["pending_update"] = null,
            ["schedule"] = null,
            ["start_date"] = start,
            ["status"] = "incomplete",
            ["test_clock"] = null,
            ["transfer_data"] = null,
            ["trial_end"] = trialEnd,
            ["trial_settings"] = new JsonObject { ["end_behavior"] = new JsonObject { ["missing_payment_method"] = "create_invoice" } },
            ["trial_start"] = trialEnd is null ? null : start,
        };
        if (p.Bool("cancel_at_period_end") == true) { sub["cancel_at_period_end"] = true; sub["cancel_at"] = end; }

        // The first invoice: the items for the first period ($0 during a trial).
        var invoice = NewInvoice(c, customer, method, sub["currency"]!.GetValue<string>(), "subscription_create", id);
        invoice["lines"] = Lists.Embedded(items.Select(i => (JsonNode)SubscriptionLine(invoice, i!.AsObject(), trialEnd is not null)), $"/v1/invoices/{invoice["id"]}/lines");
        invoice["due_date"] = days is null ? null : c.Now + days * 86400;
        c.State.Add(c.Account, "invoice", invoice);
        c.Emit("invoice.created", invoice);
        Recompute(c, invoice);
        sub["latest_invoice"] = invoice["id"]!.GetValue<string>();

        Finalize(c, invoice);
        if (trialEnd is not null) sub["status"] = "trialing";
        else if (method == "send_invoice") sub["status"] = "active";
        else if (behaviour == "default_incomplete") sub["status"] = "incomplete";
        else
        {
            var pm = defaultPm ?? Payments.DefaultPaymentMethod(c, customerId);
            if (pm is null && behaviour == "error_if_incomplete")
                throw StripeError.Invalid("This customer has no attached payment source or default payment method.", "default_payment_method", "resource_missing");
            if (pm is not null)
            {
                try
                {
                    Pay(c, invoice, pm, false);
                    sub["status"] = "active";
                }
                catch (StripeError e) when (e.Status == 402 && behaviour != "error_if_incomplete")
                {
                    sub["status"] = "incomplete";
                }
            }
        }
        c.Create("subscription", sub);
        return sub;
    }

    private static JsonObject SubscriptionLine(JsonObject invoice, JsonObject item, bool trial)
    {
        var price = item["price"]!;
        var quantity = item["quantity"]!.Long();
        var amount = trial ? 0 : price["unit_amount"]!.Long() * quantity;
        return new JsonObject
        {
            ["id"] = "il_" + item["id"]!.GetValue<string>()[3..],
            ["object"] = "line_item",
            ["amount"] = amount,
            ["currency"] = price["currency"]!.DeepClone(),
            ["description"] = $"{quantity} × {(trial ? "trial period" : Lists.Text(price["nickname"]) ?? Lists.Text(price["product"]))}",
            ["discount_amounts"] = new JsonArray(),
            ["discountable"] = true,
            ["discounts"] = new JsonArray(),
            ["invoice"] = invoice["id"]!.DeepClone(),
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["parent"] = new JsonObject
            {
                ["invoice_item_details"] = null,
                ["subscription_item_details"] = new JsonObject
                {
                    ["invoice_item"] = null, ["proration"] = false, ["proration_details"] = new JsonObject { ["credited_items"] = null },
                    ["subscription"] = item["subscription"]!.DeepClone(), ["subscription_item"] = item["id"]!.DeepClone(),
                },
                ["type"] = "subscription_item_details",
            },
            ["period"] = new JsonObject { ["end"] = item["current_period_end"]!.DeepClone(), ["start"] = item["current_period_start"]!.DeepClone() },
            ["pretax_credit_amounts"] = new JsonArray(),
            ["pricing"] = new JsonObject
            {
                ["price_details"] = new JsonObject { ["price"] = price["id"]!.DeepClone(), ["product"] = price["product"]!.DeepClone() },
                ["type"] = "price_details",
                ["unit_amount_decimal"] = price["unit_amount_decimal"]!.DeepClone(),
            },
            ["quantity"] = quantity,
            ["subtotal"] = amount,
            ["taxes"] = new JsonArray(),
        };
    }

    private static JsonObject UpdateSubscription(Call c)
    {
        var p = c.P;
        p.Allow("items", "proration_behavior", "cancel_at_period_end", "cancel_at", "pause_collection", "default_payment_method", "description", "metadata",
            "trial_end", "collection_method", "days_until_due", "payment_behavior", "cancellation_details", "proration_date", "billing_cycle_anchor", "off_session", "discounts");
        var sub = c.Get("subscription", c.Id);
        if (Status(sub) == "canceled" && p.Node.Select(kv => kv.Key).Any(k => k is not ("metadata" or "cancellation_details")))
            throw StripeError.InvalidState("A canceled subscription can only update its cancellation_details and metadata.");
        p.Enum("proration_behavior", "create_prorations", "none", "always_invoice");
        var items = sub["items"]!["data"]!.AsArray();
        foreach (var change in p.Arr("items"))
        {
            change.Allow("id", "price", "quantity", "deleted", "metadata", "clear_usage", "price_data", "discounts", "tax_rates");
            if (change.Str("id") is { } itemId)
            {
                var existing = items.FirstOrDefault(i => Lists.Text(i!["id"]) == itemId)?.AsObject()
                    ?? throw StripeError.Missing("subscription item", itemId, change.Name("id"));
                if (change.Bool("deleted") == true)
                {
                    if (items.Count == 1) throw StripeError.Invalid("A subscription must have at least one active item; cancel the subscription instead.", change.Name("deleted"));
                    items.Remove(existing);
                    continue;
                }
                if (change.Has("price")) existing["price"] = RecurringPrice(c, change).DeepClone();
                if (change.Int("quantity") is { } q) existing["quantity"] = q;
                if (change.Metadata() is { } md) Core.Merge(existing, md);
            }
            else
            {
                var price = RecurringPrice(c, change);
                if (items.Any(i => Lists.Text(i!["price"]) == price["id"]!.GetValue<string>()))
                    throw StripeError.Invalid($"Cannot add multiple subscription items with the same price: {price["id"]}.", change.Name("price"));
                var first = items[0]!.AsObject();
                items.Add(SubscriptionItem(c, c.Id, price, change.Int("quantity") ?? 1, first["current_period_start"]!.Long(), first["current_period_end"]!.Long()));
            }
        }
        if (p.Bool("cancel_at_period_end") is { } capeverything)
        {
            sub["cancel_at_period_end"] = capeverything;
            sub["cancel_at"] = capeverything ? items[0]!["current_period_end"]!.DeepClone() : null;
        }
        if (p.Has("cancel_at")) sub["cancel_at"] = p.IsEmpty("cancel_at") ? null : p.Int("cancel_at");
        if (p.Has("pause_collection"))
        {
            if (p.IsEmpty("pause_collection")) sub["pause_collection"] = null;
            else
            {
                var pc = p.Obj("pause_collection")!;
                pc.Allow("behavior", "resumes_at");
                sub["pause_collection"] = new JsonObject
                {
                    ["behavior"] = pc.Enum("behavior", "keep_as_draft", "mark_uncollectible", "void") ?? throw StripeError.ParamMissing("pause_collection[behavior]"),
                    ["resumes_at"] = pc.Int("resumes_at"),
                };
            }
        }
        if (p.Str("default_payment_method") is { } dpm)
        {
            var pm = c.Get("payment_method", dpm, "default_payment_method");
            if (Lists.Text(pm["customer"]) != Lists.Text(sub["customer"]))
                throw StripeError.Invalid($"The payment method {dpm} must be attached to the subscription's customer first.", "default_payment_method");
            sub["default_payment_method"] = dpm;
        }
        if (p.Has("description")) sub["description"] = p.IsEmpty("description") ? null : p.Str("description");
        if (p.Str("trial_end") == "now" && Status(sub) == "trialing")
        {
            sub["trial_end"] = c.Now;
            sub["status"] = "active";
        }
        if (p.Enum("collection_method", "charge_automatically", "send_invoice") is { } cm) sub["collection_method"] = cm;
        if (p.Int("days_until_due") is { } dud) sub["days_until_due"] = dud;
        if (p.Obj("cancellation_details") is { } cd) SetCancellationDetails(sub, cd);
        if (p.Metadata() is { } meta) Core.Merge(sub, meta);
        c.Emit("customer.subscription.updated", sub);
        return sub;
    }

    private static void SetCancellationDetails(JsonObject sub, P cd)
    {
        cd.Allow("comment", "feedback");
        if (cd.Has("comment")) sub["cancellation_details"]!["comment"] = cd.Str("comment");
        if (cd.Enum("feedback", "customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused") is { } fb)
            sub["cancellation_details"]!["feedback"] = fb;
    }

    public static JsonObject Cancel(Call c, JsonObject sub)
    {
        sub["status"] = "canceled";
        sub["canceled_at"] = c.Now;
        sub["ended_at"] = c.Now;
        sub["cancel_at_period_end"] = false;
        sub["cancellation_details"]!["reason"] = "cancellation_requested";
        c.Emit("customer.subscription.deleted", sub);
        return sub;
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> SubscriptionSearch = new()
    {
        ["status"] = o => o["status"], ["created"] = o => o["created"], ["customer"] = o => o["customer"],
    };
}
