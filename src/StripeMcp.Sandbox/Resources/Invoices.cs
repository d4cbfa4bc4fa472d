using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Invoices and their lines: create, finalize, pay, send, void, mark uncollectible, delete drafts; totals with taxes and the customer balance.</summary>
internal static partial class Billing
{
    private static void RegisterInvoices(Router r)
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

        r.Get("/v1/invoices/{id}/lines", c =>
        {
            c.P.Allow(Lists.PagingParams);
            // Lines keep the invoice's order.
            return Lists.Page(c, c.Get("invoice", c.Id)["lines"]!["data"]!.AsArray().Select(n => n!.AsObject()), $"/v1/invoices/{c.Id}/lines");
        });
    }

    private static JsonObject CreateInvoice(Call c)
    {
        var p = c.P;
        p.Allow("customer", "collection_method", "days_until_due", "due_date", "description", "auto_advance", "pending_invoice_items_behavior", "metadata",
            "footer", "default_payment_method", "currency", "subscription", "statement_descriptor", "custom_fields", "automatic_tax", "default_tax_rates");
        var customer = c.Get("customer", p.Req("customer"), "customer");
        c.OnClockOf(customer);
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
        invoice["default_tax_rates"] = TaxRates(c, p, "default_tax_rates");
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
            ["test_clock"] = customer["test_clock"]?.DeepClone(),
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
                        ["invoice_item"] = item["id"]!.DeepClone(), ["proration"] = item["proration"]!.DeepClone(), ["proration_details"] = new JsonObject { ["credited_items"] = null },
                        ["subscription"] = item["parent"]?["subscription_details"]?["subscription"]?.DeepClone(),
                    },
                    ["subscription_item_details"] = null,
                    ["type"] = "invoice_item_details",
                },
                ["period"] = item["period"]!.DeepClone(),
                ["pretax_credit_amounts"] = new JsonArray(),
                ["pricing"] = item["pricing"]?.DeepClone(),
                ["quantity"] = item["quantity"]!.DeepClone(),
                ["subtotal"] = item["amount"]!.DeepClone(),
                ["tax_rates"] = item["tax_rates"]!.DeepClone(),
                ["taxes"] = new JsonArray(),
            });
        }
        var defaults = invoice["default_tax_rates"]!.AsArray();
        long subtotal = 0, exclusive = 0, inclusive = 0;
        var totalTaxes = new JsonArray();
        foreach (var line in lines)
        {
            var amount = line!["amount"]!.Long();
            subtotal += amount;
            var rates = line["tax_rates"] is JsonArray { Count: > 0 } own ? own : defaults;
            var taxes = new JsonArray();
            foreach (var rate in rates)
            {
                var tax = Tax(amount, rate!.AsObject());
                taxes.Add(tax.DeepClone());
                totalTaxes.Add(tax);
                if (Lists.Text(tax["tax_behavior"]) == "inclusive") inclusive += tax["amount"]!.Long(); else exclusive += tax["amount"]!.Long();
            }
            line["taxes"] = taxes;
            line.AsObject().Remove("tax_rates");
        }
        invoice["lines"] = Lists.Embedded(lines, $"/v1/invoices/{id}/lines");
        invoice["subtotal"] = subtotal;
        invoice["subtotal_excluding_tax"] = subtotal - inclusive;
        invoice["total"] = subtotal + exclusive;
        invoice["total_excluding_tax"] = subtotal - inclusive;
        invoice["total_taxes"] = totalTaxes;
        Amounts(invoice);
        if (lines.Count > 0) invoice["currency"] = lines[0]!["currency"]!.DeepClone();
    }

    /// <summary>What is owed: the total, less pre-payment credit notes, plus the customer balance applied at finalization.</summary>
    private static void Amounts(JsonObject invoice)
    {
        var applied = invoice["ending_balance"] is null ? 0 : invoice["starting_balance"]!.Long() - invoice["ending_balance"]!.Long();
        var due = Math.Max(0, invoice["total"]!.Long() - invoice["pre_payment_credit_notes_amount"]!.Long() + applied);
        invoice["amount_due"] = due;
        invoice["amount_remaining"] = Math.Max(0, due - invoice["amount_paid"]!.Long());
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
        ApplyBalance(c, customer, inv);
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
        c.OnClockOf(c.Find("customer", inv["customer"]!.GetValue<string>()));
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
        c.State.InvoicePayments[inv["id"]!.GetValue<string>()] = pi["id"]!.GetValue<string>();
        try
        {
            Payments.Confirm(c, pi, pm);
        }
        catch (StripeError e) when (e.Status == 402)
        {
            c.Emit("invoice.payment_failed", inv); // the invoice stays open; Stripe's answer is the decline
            throw;
        }
        MarkPaid(c, inv);
        return inv;
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> InvoiceSearch = new()
    {
        ["customer"] = o => o["customer"], ["status"] = o => o["status"], ["total"] = o => o["total"], ["currency"] = o => o["currency"],
        ["number"] = o => o["number"], ["subscription"] = o => o["parent"]?["subscription_details"]?["subscription"], ["created"] = o => o["created"],
    };
}
