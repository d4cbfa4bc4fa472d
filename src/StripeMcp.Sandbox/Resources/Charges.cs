using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Charges: made by confirming a payment intent; retrieve, list, search.</summary>
internal static partial class Payments
{
    private static void RegisterCharges(Router r)
    {
        r.Get("/v1/charges/search", c => Lists.Search(c, c.All("charge"), ChargeSearch))
         .Get("/v1/charges/{id}", c => c.Get("charge", c.Id))
         .Get("/v1/charges", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "payment_intent", "transfer_group"]);
             return Lists.Page(c, c.All("charge").Where(c.P, "customer", "payment_intent", "transfer_group"));
         });
    }

    private static JsonObject NewCharge(Call c, JsonObject pi, JsonObject pm, TestCard card, long amount, bool succeeded, bool captured = true)
    {
        var id = c.State.NewId("ch");
        var currency = pi["currency"]!.GetValue<string>();
        var charge = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = succeeded && captured ? amount : 0,
            ["amount_refunded"] = 0,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = null,
            ["billing_details"] = pm["billing_details"]!.DeepClone(),
            ["calculated_statement_descriptor"] = "STRIPEMCP SANDBOX",
            ["captured"] = succeeded && captured,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["customer"] = pi["customer"]?.DeepClone(),
            ["description"] = pi["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = succeeded ? null : card.Code,
            ["failure_message"] = succeeded ? null : card.Message,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = pi["metadata"]!.DeepClone(),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["network_status"] = succeeded ? "approved_by_network" : "declined_by_network",
                ["reason"] = succeeded ? null : card.DeclineCode,
                ["risk_level"] = "normal",
                ["risk_score"] = 12,
                ["seller_message"] = succeeded ? "Payment complete." : "The bank did not return any further details with this decline.",
                ["type"] = succeeded ? "authorized" : "issuer_declined",
            },
            ["paid"] = succeeded,
            ["payment_intent"] = pi["id"]!.GetValue<string>(),
            ["payment_method"] = pm["id"]!.GetValue<string>(),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = card.Brand, ["country"] = "US", ["exp_month"] = pm["card"]!["exp_month"]!.DeepClone(),
                    ["exp_year"] = pm["card"]!["exp_year"]!.DeepClone(), ["funding"] = pm["card"]!["funding"]!.DeepClone(),
                    ["last4"] = card.Last4, ["network"] = card.Brand,
                },
                ["type"] = "card",
            },
            ["receipt_email"] = pi["receipt_email"]?.DeepClone(),
            ["receipt_number"] = null,
            ["receipt_url"] = $"https://pay.stripe.com/receipts/payment/{id}",
            ["refunded"] = false,
            ["review"] = null,
            ["shipping"] = null,
            ["source_transfer"] = null,
            ["statement_descriptor"] = pi["statement_descriptor"]?.DeepClone(),
            ["statement_descriptor_suffix"] = null,
            ["status"] = succeeded ? "succeeded" : "failed",
            ["transfer_data"] = pi["transfer_data"]?.DeepClone(),
            ["transfer_group"] = pi["transfer_group"]?.DeepClone(),
        };
        c.Create("charge", charge, succeeded ? (captured ? "charge.succeeded" : "charge.succeeded") : "charge.failed");
        if (succeeded && captured) Settle(c, charge, amount);
        return charge;
    }

    /// <summary>A captured charge moves money: a balance transaction (amount − fee) and, with transfer_data, a transfer.</summary>
    private static void Settle(Call c, JsonObject charge, long amount)
    {
        var currency = charge["currency"]!.GetValue<string>();
        var fee = (long)Math.Round(amount * 0.029m + 30);
        var txn = Connect.BalanceTransaction(c, amount, fee, currency, "charge", "charge", charge["id"]!.GetValue<string>(), "Payment");
        charge["balance_transaction"] = txn["id"]!.GetValue<string>();
        if (charge["transfer_data"] is JsonObject td)
            Connect.Transfer(c, td["amount"]?.Long() ?? amount, currency, td["destination"]!.GetValue<string>(), charge["id"]!.GetValue<string>(), null);
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> ChargeSearch = new()
    {
        ["amount"] = o => o["amount"], ["currency"] = o => o["currency"], ["customer"] = o => o["customer"], ["status"] = o => o["status"],
        ["payment_intent"] = o => o["payment_intent"], ["refunded"] = o => o["refunded"], ["disputed"] = o => o["disputed"],
        ["last4"] = o => o["payment_method_details"]?["card"]?["last4"], ["created"] = o => o["created"],
    };
}
