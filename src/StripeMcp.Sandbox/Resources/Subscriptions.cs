using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Subscriptions: create (with the first invoice), update (with prorations: Prorations.cs), cancel, list, search.</summary>
internal static partial class Billing
{
    private static void RegisterSubscriptions(Router r)
    {
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
             c.OnClockOf(c.Find("customer", sub["customer"]!.GetValue<string>()));
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
    }

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
            "cancel_at_period_end", "metadata", "description", "proration_behavior", "off_session", "currency", "coupon", "discounts", "payment_settings", "billing_cycle_anchor", "expand", "add_invoice_items", "default_tax_rates");
        var customer = c.Get("customer", p.Req("customer"), "customer");
        c.OnClockOf(customer);
        var customerId = customer["id"]!.GetValue<string>();
        var itemParams = p.Arr("items").ToList();
        if (itemParams.Count == 0) throw StripeError.ParamMissing("items");
        var prices = itemParams.Select(i =>
        {
            i.Allow("price", "quantity", "metadata", "price_data", "discounts", "tax_rates");
            return (Price: RecurringPrice(c, i), Quantity: i.Int("quantity") ?? 1, TaxRates: TaxRates(c, i, "tax_rates"));
        }).ToList();
        var defaultRates = TaxRates(c, p, "default_tax_rates");
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
        var items = prices.Select(x =>
        {
            var item = SubscriptionItem(c, id, x.Price, x.Quantity, start, end);
            item["tax_rates"] = x.TaxRates;
            return (JsonNode)item;
        }).ToList();
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
            ["default_tax_rates"] = defaultRates.DeepClone(),
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
            ["test_clock"] = customer["test_clock"]?.DeepClone(),
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
        invoice["default_tax_rates"] = defaultRates.DeepClone();
        c.State.Add(c.Account, "invoice", invoice);
        c.Emit("invoice.created", invoice);
        foreach (var add in p.Arr("add_invoice_items"))
        {
            add.Allow("price", "quantity", "tax_rates", "discounts", "metadata", "price_data", "period");
            var form = new JsonObject
            {
                ["customer"] = customerId,
                ["invoice"] = invoice["id"]!.GetValue<string>(),
                ["pricing"] = new JsonObject { ["price"] = add.Req("price") },
                ["quantity"] = add.Str("quantity") ?? "1",
                ["tax_rates"] = new JsonArray(add.Strings("tax_rates").Select(t => (JsonNode)t).ToArray()),
            };
            CreateInvoiceItem(c.Inner("POST", "/v1/invoiceitems", form));
        }
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
            ["tax_rates"] = item["tax_rates"]!.DeepClone(),
            ["taxes"] = new JsonArray(),
        };
    }

    private static JsonObject UpdateSubscription(Call c)
    {
        var p = c.P;
        p.Allow("items", "proration_behavior", "cancel_at_period_end", "cancel_at", "pause_collection", "default_payment_method", "description", "metadata",
            "trial_end", "collection_method", "days_until_due", "payment_behavior", "cancellation_details", "proration_date", "billing_cycle_anchor", "off_session", "discounts");
        var sub = c.Get("subscription", c.Id);
        c.OnClockOf(c.Find("customer", sub["customer"]!.GetValue<string>()));
        if (Status(sub) == "canceled" && p.Node.Select(kv => kv.Key).Any(k => k is not ("metadata" or "cancellation_details")))
            throw StripeError.InvalidState("A canceled subscription can only update its cancellation_details and metadata.");
        var proration = p.Enum("proration_behavior", "create_prorations", "none", "always_invoice") ?? "create_prorations";
        var items = sub["items"]!["data"]!.AsArray();
        var before = Billed(items);
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
                if (items.Any(i => Lists.Text(i!["price"]!["id"]) == price["id"]!.GetValue<string>()))
                    throw StripeError.Invalid($"Cannot add multiple subscription items with the same price: {price["id"]}.", change.Name("price"));
                var first = items[0]!.AsObject();
                items.Add(SubscriptionItem(c, c.Id, price, change.Int("quantity") ?? 1, first["current_period_start"]!.Long(), first["current_period_end"]!.Long()));
            }
        }
        if (proration != "none" && Status(sub) is "active" or "past_due")
            Prorate(c, sub, before, Billed(items), p.Int("proration_date") ?? c.Now, proration == "always_invoice");
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

    public static JsonObject Cancel(Call c, JsonObject sub, string reason = "cancellation_requested")
    {
        sub["status"] = "canceled";
        sub["canceled_at"] = c.Now;
        sub["ended_at"] = c.Now;
        sub["cancel_at_period_end"] = false;
        sub["cancellation_details"]!["reason"] = reason;
        c.Emit("customer.subscription.deleted", sub);
        return sub;
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> SubscriptionSearch = new()
    {
        ["status"] = o => o["status"], ["created"] = o => o["created"], ["customer"] = o => o["customer"],
    };
}
