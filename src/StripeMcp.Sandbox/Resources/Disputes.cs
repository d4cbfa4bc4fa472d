using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Disputes: opened by the pm_card_createDispute test card; evidence, submit, close.</summary>
internal static partial class Payments
{
    private static void RegisterDisputes(Router r)
    {
        r.Get("/v1/disputes/{id}", c => c.Get("dispute", c.Id))
         .Post("/v1/disputes/{id}", UpdateDispute)
         .Post("/v1/disputes/{id}/close", c =>
         {
             c.P.Allow();
             var d = c.Get("dispute", c.Id);
             if (d["status"]!.GetValue<string>() is not ("needs_response" or "warning_needs_response"))
                 throw StripeError.InvalidState($"This dispute has status {d["status"]}: only a dispute that needs a response can be closed (accepted).");
             d["status"] = "lost";
             c.Emit("charge.dispute.closed", d);
             return d;
         })
         .Get("/v1/disputes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "charge", "payment_intent"]);
             return Lists.Page(c, c.All("dispute").Where(c.P, "charge", "payment_intent"));
         });
    }

    private static readonly string[] EvidenceFields =
    [
        "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal",
        "customer_communication", "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
        "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
        "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation",
        "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
        "uncategorized_file", "uncategorized_text",
    ];

    private static void CreateDispute(Call c, JsonObject charge)
    {
        var amount = charge["amount"]!.Long();
        var currency = charge["currency"]!.GetValue<string>();
        var id = c.State.NewId("dp");
        var txn = Connect.BalanceTransaction(c, -amount, 1500, currency, "adjustment", "dispute", id, $"Chargeback withdrawal for {charge["id"]}");
        charge["disputed"] = true;
        var evidence = new JsonObject();
        foreach (var f in EvidenceFields) evidence[f] = null;
        c.Create("dispute", new JsonObject
        {
            ["id"] = id,
            ["object"] = "dispute",
            ["amount"] = amount,
            ["balance_transactions"] = new JsonArray(txn.DeepClone()),
            ["charge"] = charge["id"]!.GetValue<string>(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["evidence"] = evidence,
            ["evidence_details"] = new JsonObject
            {
                ["due_by"] = c.Now + 7 * 86400, ["has_evidence"] = false, ["past_due"] = false, ["submission_count"] = 0,
            },
            ["is_charge_refundable"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["reason"] = "fraudulent",
            ["status"] = "needs_response",
        }, "charge.dispute.created");
    }

    private static JsonObject UpdateDispute(Call c)
    {
        var p = c.P;
        p.Allow("evidence", "submit", "metadata");
        var d = c.Get("dispute", c.Id);
        if (d["status"]!.GetValue<string>() is not ("needs_response" or "warning_needs_response"))
            throw StripeError.InvalidState($"This dispute has status {d["status"]} and can no longer be updated: evidence was already submitted or the dispute is closed.");
        if (p.Obj("evidence") is { } ev)
        {
            ev.Allow(EvidenceFields);
            foreach (var (k, v) in ev.Node) d["evidence"]![k] = v?.DeepClone();
            d["evidence_details"]!["has_evidence"] = true;
        }
        if (p.Metadata() is { } md) Core.Merge(d, md);
        if (p.Bool("submit") == true)
        {
            d["status"] = "under_review";
            d["evidence_details"]!["submission_count"] = d["evidence_details"]!["submission_count"]!.Long() + 1;
        }
        c.Emit("charge.dispute.updated", d);
        return d;
    }
}
