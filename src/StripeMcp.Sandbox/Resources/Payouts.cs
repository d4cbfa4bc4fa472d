using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payouts of the available balance to the bank account; cancel while pending.</summary>
internal static partial class Connect
{
    private static void RegisterPayouts(Router r)
    {
        r.Post("/v1/payouts", c =>
        {
            var p = c.P;
            p.Allow("amount", "currency", "description", "metadata", "method", "statement_descriptor", "destination", "source_type");
            var amount = p.ReqInt("amount");
            var currency = Core.Currency(p);
            if (Available(c, currency) < amount)
                throw StripeError.Invalid("You have insufficient funds in your Stripe account for this transfer.", "amount", "balance_insufficient");
            var id = c.State.NewId("po");
            var txn = BalanceTransaction(c, -amount, 0, currency, "payout", "payout", id, "STRIPE PAYOUT");
            return c.Create("payout", new JsonObject
            {
                ["id"] = id,
                ["object"] = "payout",
                ["amount"] = amount,
                ["application_fee"] = null,
                ["application_fee_amount"] = null,
                ["arrival_date"] = c.Now + 2 * 86400,
                ["automatic"] = false,
                ["balance_transaction"] = txn["id"]!.DeepClone(),
                ["created"] = c.Now,
                ["currency"] = currency,
                ["description"] = p.Str("description"),
                ["destination"] = "ba_1SandboxBankAccount",
                ["failure_balance_transaction"] = null,
                ["failure_code"] = null,
                ["failure_message"] = null,
                ["livemode"] = false,
                ["metadata"] = p.Metadata() ?? new JsonObject(),
                ["method"] = p.Enum("method", "standard", "instant") ?? "standard",
                ["original_payout"] = null,
                ["reconciliation_status"] = "not_applicable",
                ["reversed_by"] = null,
                ["source_type"] = "card",
                ["statement_descriptor"] = p.Str("statement_descriptor"),
                ["status"] = "pending", // until it arrives; pending payouts can be canceled
                ["type"] = "bank_account",
            });
        })
         .Get("/v1/payouts/{id}", c => c.Get("payout", c.Id))
         .Post("/v1/payouts/{id}", c =>
         {
             c.P.Allow("metadata");
             var payout = c.Get("payout", c.Id);
             if (c.P.Metadata() is { } md) Core.Merge(payout, md);
             c.Emit("payout.updated", payout);
             return payout;
         })
         .Post("/v1/payouts/{id}/cancel", c =>
         {
             c.P.Allow();
             var payout = c.Get("payout", c.Id);
             if (Lists.Text(payout["status"]) != "pending")
                 throw StripeError.InvalidState($"Payouts can only be canceled while they are pending; {c.Id} is {payout["status"]}.");
             var amount = payout["amount"]!.Long();
             var txn = BalanceTransaction(c, amount, 0, payout["currency"]!.GetValue<string>(), "payout_cancel", "payout_reversal", c.Id, "STRIPE PAYOUT CANCELED");
             payout["status"] = "canceled";
             payout["failure_balance_transaction"] = txn["id"]!.DeepClone();
             c.Emit("payout.canceled", payout);
             return payout;
         })
         .Get("/v1/payouts", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "status", "arrival_date", "destination"]);
             return Lists.Page(c, c.All("payout").Where(c.P, "status", "destination"));
         });
    }
}
