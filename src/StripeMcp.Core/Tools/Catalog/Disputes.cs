using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Disputes
{
    private static StringParam Evidence(string name, string what) => new(name, what, MaxLength: 20_000);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_disputes", "disputes.read", "List disputes",
            "List disputes (chargebacks), optionally of one charge or payment intent; each has amount, reason, status (e.g. needs_response, under_review, won, lost), evidence_details.due_by.",
            Get, "/v1/disputes", Read,
            [
                Id("charge", "ch_"),
                Id("payment_intent", "pi_"),
                .. Paging,
            ]),
        new("retrieve_dispute", "disputes.read", "Retrieve dispute",
            "Retrieve one dispute: amount, reason, status, the evidence saved so far, evidence_details.due_by (the deadline to respond).",
            Get, "/v1/disputes/{dispute}", Read,
            [Id("dispute", "dp_", required: true)]),
        new("update_dispute", "disputes.update", "Update dispute",
            "Add evidence to a dispute (merged with what is saved), and optionally submit it to the bank. Submitting (submit: true) is final: no more evidence can be added.",
            Post, "/v1/disputes/{dispute}", Hints.Write,
            [
                Id("dispute", "dp_", required: true),
                new ObjectParam("evidence", "For the bank: texts (20,000 characters in all) and ids of files uploaded to Stripe.",
                [
                    Evidence("customer_name", "The customer's name."),
                    Evidence("customer_email_address", "The customer's email."),
                    Evidence("customer_purchase_ip", "IP address of the purchase."),
                    Evidence("billing_address", "As the customer gave it."),
                    Evidence("product_description", "What was sold and how it was delivered."),
                    Evidence("service_date", "When it was provided or delivered."),
                    Evidence("shipping_address", "Where it was shipped."),
                    Evidence("shipping_carrier", "E.g. UPS."),
                    Evidence("shipping_date", "When it was shipped."),
                    Evidence("shipping_tracking_number", "Tracking number(s)."),
                    Evidence("access_activity_log", "The customer's use or download around the purchase."),
                    Evidence("cancellation_policy_disclosure", "How and when the customer saw it."),
                    Evidence("cancellation_rebuttal", "Why cancelling gives no right to a refund."),
                    Evidence("refund_policy_disclosure", "How and when the customer saw it."),
                    Evidence("refund_refusal_explanation", "Why no refund is due."),
                    Evidence("duplicate_charge_explanation", "Why two similar charges are not a duplicate."),
                    Id("duplicate_charge_id", "ch_", "The charge that looks like a duplicate."),
                    Evidence("uncategorized_text", "Any other evidence."),
                    Id("customer_communication", "file_", "Your communication with the customer."),
                    Id("receipt", "file_", "The receipt the customer got."),
                    Id("uncategorized_file", "file_", "Any other evidence."),
                ]),
                new BoolParam("submit", "true submits to the bank now (final); else Stripe submits at the due date."),
                Metadata,
            ]),
        new("close_dispute", "disputes.update", "Close dispute",
            "Accept a dispute: you concede it, the amount stays with the customer, no more evidence can be submitted. Cannot be undone; to fight it, use update_dispute.",
            Post, "/v1/disputes/{dispute}/close", Hints.Destructive,
            [Id("dispute", "dp_", required: true)]),
    ];
}
