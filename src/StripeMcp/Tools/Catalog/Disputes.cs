using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Disputes
{
    private static StringParam Evidence(string name, string what) => new(name, what, MaxLength: 20_000);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_disputes", "disputes.read", "List disputes",
            "List disputes (chargebacks), optionally for one charge or payment intent. Each has the disputed amount, reason, status (e.g. needs_response, under_review, won, lost) and evidence_details.due_by.",
            Get, "/v1/disputes", Read,
            [
                Id("charge", "ch_", "Only disputes of this charge (ch_…)."),
                Id("payment_intent", "pi_", "Only disputes of this payment intent (pi_…)."),
                .. Paging,
            ]),
        new("retrieve_dispute", "disputes.read", "Retrieve dispute",
            "Retrieve one dispute: amount, reason, status, the evidence saved so far and evidence_details.due_by (the deadline to respond).",
            Get, "/v1/disputes/{dispute}", Read,
            [Id("dispute", "dp_", "The id of the dispute (dp_…).", required: true)]),
        new("update_dispute", "disputes.update", "Update dispute",
            "Add evidence to a dispute, and optionally submit it to the bank. Evidence fields you give are merged with what is already saved. Submitting (submit: true) is final: no more evidence can be added. Returns the whole dispute object.",
            Post, "/v1/disputes/{dispute}", Hints.None,
            [
                Id("dispute", "dp_", "The id of the dispute (dp_…).", required: true),
                new ObjectParam("evidence", "Evidence for the bank. Text fields hold up to 20,000 characters in all; file fields take ids of files uploaded to Stripe (file_…).",
                [
                    Evidence("customer_name", "The customer's name."),
                    Evidence("customer_email_address", "The customer's email address."),
                    Evidence("customer_purchase_ip", "The IP address the customer bought from."),
                    Evidence("billing_address", "The billing address the customer gave."),
                    Evidence("product_description", "What was sold: the product or service, and how it was delivered."),
                    Evidence("service_date", "When the service was provided, or the product delivered."),
                    Evidence("shipping_address", "Where the product was shipped."),
                    Evidence("shipping_carrier", "The carrier that delivered it (e.g. UPS)."),
                    Evidence("shipping_date", "When it was shipped."),
                    Evidence("shipping_tracking_number", "The tracking number(s)."),
                    Evidence("access_activity_log", "Log of the customer's use of the service or download around the purchase."),
                    Evidence("cancellation_policy_disclosure", "How and when the cancellation policy was shown to the customer."),
                    Evidence("cancellation_rebuttal", "Why the customer's cancellation does not entitle them to a refund."),
                    Evidence("refund_policy_disclosure", "How and when the refund policy was shown to the customer."),
                    Evidence("refund_refusal_explanation", "Why the customer is not entitled to a refund."),
                    Evidence("duplicate_charge_explanation", "Why two similar charges are not a duplicate."),
                    Id("duplicate_charge_id", "ch_", "The other charge that looks like a duplicate of this one (ch_…)."),
                    Evidence("uncategorized_text", "Any other evidence or statement."),
                    Id("customer_communication", "file_", "A file (file_…) with your communication with the customer."),
                    Id("receipt", "file_", "A file (file_…) with the receipt shown to the customer."),
                    Id("uncategorized_file", "file_", "Any other evidence file (file_…)."),
                ]),
                new BoolParam("submit", "true submits the evidence to the bank now (final). Leave false to keep editing; Stripe submits automatically at the due date."),
                Metadata,
            ]),
        new("close_dispute", "disputes.update", "Close dispute",
            "Accept a dispute: you concede it, the disputed amount stays with the customer, and no evidence can be submitted any more. This cannot be undone; to fight the dispute use update_dispute instead.",
            Post, "/v1/disputes/{dispute}/close", Hints.Destructive,
            [Id("dispute", "dp_", "The id of the dispute to close (dp_…).", required: true)]),
    ];
}
