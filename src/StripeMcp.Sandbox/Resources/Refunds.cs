using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Refunds of a charge or payment intent.</summary>
internal static partial class Payments
{
    private static void RegisterRefunds(Router r)
    {
        r.Post("/v1/refunds", CreateRefund)
         .Get("/v1/refunds/{id}", c => c.Get("refund", c.Id))
         .Post("/v1/refunds/{id}", c =>
         {
             c.P.Allow("metadata");
             var refund = c.Get("refund", c.Id);
             if (c.P.Metadata() is { } md) Core.Merge(refund, md);
             c.Emit("refund.updated", refund);
             return refund;
         })
         .Post("/v1/refunds/{id}/cancel", c =>
         {
             c.P.Allow();
             var refund = c.Get("refund", c.Id);
             // Card refunds succeed at once; only refunds waiting for the customer's details (requires_action) can be canceled.
             if (Lists.Text(refund["status"]) != "requires_action")
                 throw StripeError.InvalidState($"Refund {c.Id} cannot be canceled because it has a status of {refund["status"]}. Only refunds with a status of requires_action can be canceled.");
             refund["status"] = "canceled";
             c.Emit("refund.updated", refund);
             return refund;
         })
         .Get("/v1/refunds", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "charge", "payment_intent"]);
             return Lists.Page(c, c.All("refund").Where(c.P, "charge", "payment_intent"));
         });
    }

    internal static JsonObject CreateRefund(Call c)
    {
        var p = c.P;
        p.Allow("payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer", "instructions_email");
        JsonObject charge;
        if (p.Str("charge") is { } chId) charge = c.Get("charge", chId, "charge");
        else if (p.Str("payment_intent") is { } piId)
        {
            var pi = c.Get("payment_intent", piId, "payment_intent");
            if (pi["status"]!.GetValue<string>() != "succeeded" || Lists.Text(pi["latest_charge"]) is not { } latest)
                throw StripeError.InvalidState($"This PaymentIntent does not have a successful charge to refund (status {pi["status"]}).", "payment_intent");
            charge = c.Get("charge", latest);
        }
        else throw StripeError.Invalid("One of the following params should be provided for this request: payment_intent or charge.", code: "parameter_missing");

        var captured = charge["amount_captured"]!.Long();
        var refunded = charge["amount_refunded"]!.Long();
        var left = captured - refunded;
        var currency = charge["currency"]!.GetValue<string>();
        if (left <= 0)
            throw StripeError.Invalid($"Charge {charge["id"]} has already been refunded.", code: "charge_already_refunded");
        var amount = p.Int("amount") ?? left;
        if (amount < 1) throw StripeError.Invalid("Refund amount must be positive.", "amount");
        if (amount > left)
            throw StripeError.Invalid($"Refund amount ({Money(amount, currency)}) is greater than unrefunded amount on charge ({Money(left, currency)})", "amount", "amount_too_large");

        var id = c.State.NewId("re");
        var txn = Connect.BalanceTransaction(c, -amount, 0, currency, "refund", "refund", id, "REFUND FOR CHARGE");
        charge["amount_refunded"] = refunded + amount;
        charge["refunded"] = refunded + amount == captured;
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["balance_transaction"] = txn["id"]!.GetValue<string>(),
            ["charge"] = charge["id"]!.GetValue<string>(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["destination_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["reference_status"] = "pending", ["reference_type"] = "acquirer_reference_number", ["type"] = "refund" },
                ["type"] = "card",
            },
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["reason"] = p.Enum("reason", "duplicate", "fraudulent", "requested_by_customer"),
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
        c.Create("refund", refund);
        c.Emit("charge.refunded", charge);
        return refund;
    }
}
