using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>
/// Credit notes: on an open invoice they reduce what it owes (pre-payment); on a paid one (post-payment) they
/// give the money back as a refund, a credit to the customer's balance, or out of band.
/// </summary>
internal static partial class Billing
{
    private static readonly string[] CreditNoteParams =
        ["invoice", "amount", "lines", "memo", "metadata", "reason", "credit_amount", "refund_amount", "out_of_band_amount", "effective_at", "email_type", "refunds", "shipping_cost"];

    private static void RegisterCreditNotes(Router r)
    {
        r.Post("/v1/credit_notes", c => IssueCreditNote(c, preview: false))
         .Get("/v1/credit_notes/preview", c => IssueCreditNote(c, preview: true))
         .Get("/v1/credit_notes/preview/lines", c =>
         {
             var note = IssueCreditNote(c, preview: true, extra: Lists.PagingParams);
             return Lists.Page(c, note["lines"]!["data"]!.AsArray().Select(n => n!.AsObject()), "/v1/credit_notes/preview/lines");
         })
         .Get("/v1/credit_notes/{id}", c => c.Get("credit_note", c.Id))
         .Get("/v1/credit_notes/{id}/lines", c =>
         {
             c.P.Allow(Lists.PagingParams);
             return Lists.Page(c, c.Get("credit_note", c.Id)["lines"]!["data"]!.AsArray().Select(n => n!.AsObject()), $"/v1/credit_notes/{c.Id}/lines");
         })
         .Post("/v1/credit_notes/{id}", c =>
         {
             c.P.Allow("memo", "metadata");
             var note = c.Get("credit_note", c.Id);
             if (c.P.Has("memo")) note["memo"] = c.P.IsEmpty("memo") ? null : c.P.Str("memo");
             if (c.P.Metadata() is { } md) Core.Merge(note, md);
             c.Emit("credit_note.updated", note);
             return note;
         })
         .Post("/v1/credit_notes/{id}/void", c =>
         {
             c.P.Allow();
             return VoidCreditNote(c, c.Get("credit_note", c.Id));
         })
         .Get("/v1/credit_notes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "invoice"]);
             return Lists.Page(c, c.All("credit_note").Where(c.P, "customer", "invoice"));
         });
    }

    private static long Credited(Call c, string invoice) =>
        c.All("credit_note").Where(n => Lists.Text(n["invoice"]) == invoice && Lists.Text(n["status"]) == "issued").Sum(n => n["total"]!.Long());

    private static JsonObject IssueCreditNote(Call c, bool preview, string[]? extra = null)
    {
        var p = c.P;
        p.Allow([.. CreditNoteParams, .. extra ?? []]);
        var invoice = c.Get("invoice", p.Req("invoice"), "invoice");
        var invoiceId = invoice["id"]!.GetValue<string>();
        var status = Status(invoice);
        if (status is not ("open" or "paid"))
            throw StripeError.InvalidState($"A credit note can only be issued for an open or paid invoice; {invoiceId} is {status}.", "invoice");
        var currency = invoice["currency"]!.GetValue<string>();
        var id = preview ? c.State.NewId("cn_preview") : c.State.NewId("cn");

        // What is credited: explicit lines, or one amount.
        var lines = new JsonArray();
        long total;
        var lineParams = p.Arr("lines").ToList();
        if (lineParams.Count > 0)
        {
            if (p.Has("amount")) throw StripeError.Invalid("Give either amount or lines, not both.", "amount");
            var invoiceLines = invoice["lines"]!["data"]!.AsArray();
            foreach (var lp in lineParams)
            {
                lp.Allow("type", "invoice_line_item", "amount", "quantity", "description", "unit_amount", "unit_amount_decimal", "tax_rates", "tax_amounts", "metadata");
                var type = lp.Enum("type", "invoice_line_item", "custom_line_item") ?? throw StripeError.ParamMissing(lp.Name("type"));
                long amount;
                string? description;
                string? lineId = null;
                if (type == "invoice_line_item")
                {
                    lineId = lp.Req("invoice_line_item");
                    var line = invoiceLines.FirstOrDefault(l => Lists.Text(l!["id"]) == lineId)?.AsObject()
                        ?? throw StripeError.Missing("invoice line item", lineId, lp.Name("invoice_line_item"));
                    description = Lists.Text(line["description"]);
                    if (lp.Int("amount") is { } a) amount = a;
                    else
                    {
                        var quantity = lp.Int("quantity") ?? line["quantity"]!.Long();
                        if (quantity < 1 || quantity > line["quantity"]!.Long())
                            throw StripeError.Invalid($"The quantity must be between 1 and the line's quantity ({line["quantity"]}).", lp.Name("quantity"));
                        amount = line["amount"]!.Long() / line["quantity"]!.Long() * quantity;
                    }
                }
                else
                {
                    description = lp.Req("description");
                    var quantity = lp.Int("quantity") ?? 1;
                    amount = (lp.Int("unit_amount") ?? throw StripeError.ParamMissing(lp.Name("unit_amount"))) * quantity;
                }
                if (amount < 1) throw StripeError.Invalid("A credit note line's amount must be positive.", lp.Name("amount"));
                lines.Add(new JsonObject
                {
                    ["id"] = c.State.NewId("cnli"),
                    ["object"] = "credit_note_line_item",
                    ["amount"] = amount,
                    ["description"] = description,
                    ["discount_amount"] = 0,
                    ["discount_amounts"] = new JsonArray(),
                    ["invoice_line_item"] = lineId,
                    ["livemode"] = false,
                    ["metadata"] = lp.Metadata() ?? new JsonObject(),
                    ["pretax_credit_amounts"] = new JsonArray(),
                    ["quantity"] = lp.Int("quantity") ?? 1,
                    ["tax_rates"] = new JsonArray(),
                    ["taxes"] = new JsonArray(),
                    ["type"] = type,
                    ["unit_amount"] = type == "custom_line_item" ? lp.Int("unit_amount") : null,
                    ["unit_amount_decimal"] = null,
                });
            }
            total = lines.Sum(l => l!["amount"]!.Long());
        }
        else if (p.Int("amount") is { } amount)
        {
            if (amount < 1) throw StripeError.Invalid("The credit note's amount must be positive.", "amount");
            total = amount;
        }
        else throw StripeError.Invalid("Give the amount to credit: amount, or lines.", "amount", "parameter_missing");

        var creditable = invoice["total"]!.Long() - Credited(c, invoiceId);
        if (total > creditable)
            throw StripeError.Invalid($"The credit note's total ({Payments.Money(total, currency)}) is greater than what can still be credited on invoice {invoiceId} ({Payments.Money(creditable, currency)}).", "amount");

        // Pre-payment notes reduce what is owed; post-payment ones are split between refund, balance credit and out of band.
        var owed = invoice["amount_remaining"]!.Long();
        var type2 = status == "open" && total <= owed ? "pre_payment" : "post_payment";
        long refund = p.Int("refund_amount") ?? 0, credit = p.Int("credit_amount") ?? 0, outOfBand = p.Int("out_of_band_amount") ?? 0;
        if (type2 == "pre_payment" && refund + credit + outOfBand > 0)
            throw StripeError.Invalid("refund_amount, credit_amount and out_of_band_amount apply to paid invoices; this credit note reduces what the open invoice owes.", refund > 0 ? "refund_amount" : credit > 0 ? "credit_amount" : "out_of_band_amount");
        if (type2 == "post_payment")
        {
            if (status == "open")
                throw StripeError.Invalid($"The credit note's total ({Payments.Money(total, currency)}) is more than the invoice still owes ({Payments.Money(owed, currency)}).", "amount");
            if (refund + credit + outOfBand == 0) credit = total; // the whole amount goes to the customer's balance
            if (refund + credit + outOfBand != total)
                throw StripeError.Invalid($"refund_amount, credit_amount and out_of_band_amount must add up to the credit note's total ({Payments.Money(total, currency)}).", "refund_amount");
            if (refund > 0 && !c.State.InvoicePayments.ContainsKey(invoiceId))
                throw StripeError.Invalid($"Invoice {invoiceId} was paid out of band: nothing can be refunded; use out_of_band_amount or credit_amount.", "refund_amount");
        }

        var customer = c.Get("customer", invoice["customer"]!.GetValue<string>());
        var number = $"{invoice["number"]}-CN-{c.All("credit_note").Count(n => Lists.Text(n["invoice"]) == invoiceId) + 1:D2}";
        var note = new JsonObject
        {
            ["id"] = id,
            ["object"] = "credit_note",
            ["amount"] = total,
            ["amount_shipping"] = 0,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["customer"] = customer["id"]!.DeepClone(),
            ["customer_balance_transaction"] = null,
            ["discount_amount"] = 0,
            ["discount_amounts"] = new JsonArray(),
            ["effective_at"] = p.Int("effective_at") ?? c.Now,
            ["invoice"] = invoiceId,
            ["lines"] = Lists.Embedded(lines.Select(l => l!.DeepClone()), $"/v1/credit_notes/{id}/lines"),
            ["livemode"] = false,
            ["memo"] = p.Str("memo"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["number"] = number,
            ["out_of_band_amount"] = type2 == "post_payment" ? outOfBand : null,
            ["pdf"] = $"https://pay.stripe.com/credit_notes/acct_sandbox/test_{id[3..]}/pdf",
            ["post_payment_amount"] = type2 == "post_payment" ? total : 0,
            ["pre_payment_amount"] = type2 == "pre_payment" ? total : 0,
            ["pretax_credit_amounts"] = new JsonArray(),
            ["reason"] = p.Enum("reason", "duplicate", "fraudulent", "order_change", "product_unsatisfactory"),
            ["refunds"] = new JsonArray(),
            ["shipping_cost"] = null,
            ["status"] = "issued",
            ["subtotal"] = total,
            ["subtotal_excluding_tax"] = total,
            ["total"] = total,
            ["total_excluding_tax"] = total,
            ["total_taxes"] = new JsonArray(),
            ["type"] = type2,
            ["voided_at"] = null,
        };
        if (preview) return note;

        if (type2 == "pre_payment")
        {
            invoice["pre_payment_credit_notes_amount"] = invoice["pre_payment_credit_notes_amount"]!.Long() + total;
            Amounts(invoice);
            if (invoice["amount_remaining"]!.Long() == 0) MarkPaid(c, invoice);
        }
        else
        {
            invoice["post_payment_credit_notes_amount"] = invoice["post_payment_credit_notes_amount"]!.Long() + total;
            if (credit > 0)
                note["customer_balance_transaction"] = BalanceTransaction(c, customer, -credit, currency, "credit_note", invoiceId, id)["id"]!.DeepClone();
            if (refund > 0)
            {
                var refundObj = Payments.CreateRefund(c.Inner("POST", "/v1/refunds", new JsonObject
                {
                    ["payment_intent"] = c.State.InvoicePayments[invoiceId],
                    ["amount"] = refund.ToString(System.Globalization.CultureInfo.InvariantCulture),
                }));
                note["refunds"] = new JsonArray(new JsonObject { ["amount_refunded"] = refund, ["payment_record_refund"] = null, ["refund"] = refundObj["id"]!.DeepClone(), ["type"] = "refund" });
            }
        }
        c.Create("credit_note", note);
        c.Emit("invoice.updated", invoice);
        return note;
    }

    private static JsonObject VoidCreditNote(Call c, JsonObject note)
    {
        if (Lists.Text(note["status"]) == "void") throw StripeError.InvalidState($"The credit note {note["id"]} is already void.");
        if (note["refunds"]!.AsArray().Count > 0)
            throw StripeError.InvalidState($"The credit note {note["id"]} refunded a payment: a refund cannot be undone, so the credit note cannot be voided.");
        var invoice = c.Get("invoice", note["invoice"]!.GetValue<string>());
        var total = note["total"]!.Long();
        if (Lists.Text(note["type"]) == "pre_payment")
        {
            if (Status(invoice) != "open")
                throw StripeError.InvalidState($"The credit note {note["id"]} reduced invoice {invoice["id"]}, which is now {Status(invoice)}: only credit notes of open invoices can be voided.");
            invoice["pre_payment_credit_notes_amount"] = invoice["pre_payment_credit_notes_amount"]!.Long() - total;
            Amounts(invoice);
        }
        else
        {
            invoice["post_payment_credit_notes_amount"] = invoice["post_payment_credit_notes_amount"]!.Long() - total;
            if (Lists.Text(note["customer_balance_transaction"]) is { } txnId)
            {
                var txn = c.Get("customer_balance_transaction", txnId);
                var customer = c.Get("customer", note["customer"]!.GetValue<string>());
                BalanceTransaction(c, customer, -txn["amount"]!.Long(), txn["currency"]!.GetValue<string>(), "credit_note", Lists.Text(invoice["id"]), note["id"]!.GetValue<string>());
            }
        }
        note["status"] = "void";
        note["voided_at"] = c.Now;
        c.Emit("credit_note.voided", note);
        return note;
    }
}
