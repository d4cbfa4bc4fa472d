using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Invoices
{
    private static IdParam Invoice(string what = "") => Id("invoice", "in_", what, required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_invoice", "invoices.create", "Create invoice",
            "Create a draft invoice for a customer. Add lines with create_invoice_item (giving its id), then issue it with finalize_invoice.",
            Post, "/v1/invoices", Hints.Write,
            [
                Id("customer", "cus_", required: true),
                new StringParam("collection_method", "charge_automatically (default) charges their default payment method; send_invoice emails it for them to pay.", Enum: ["charge_automatically", "send_invoice"]),
                new IntParam("days_until_due", "With send_invoice.", Minimum: 0, Maximum: 1825),
                Description("Memo on the invoice."),
                new BoolParam("auto_advance", "Stripe finalizes and collects it about an hour later (default false)."),
                new StringParam("pending_invoice_items_behavior", "include: add the customer's pending items; exclude (default): leave them.", Enum: ["include", "exclude"]),
                Metadata,
            ])
        {
            Check = a => a.Has("days_until_due") && (!a.Has("collection_method") || a["collection_method"].GetString() != "send_invoice")
                ? ["days_until_due: only applies with collection_method \"send_invoice\""] : [],
        },
        new("retrieve_invoice", "invoices.read", "Retrieve invoice",
            "Retrieve one invoice: lines, totals (amount_due, amount_paid, amount_remaining), status (draft, open, paid, uncollectible, void), number, hosted_invoice_url.",
            Get, "/v1/invoices/{invoice}", Read,
            [Invoice()]),
        new("list_invoices", "invoices.read", "List invoices",
            "List invoices, optionally by customer, subscription or status.",
            Get, "/v1/invoices", Read,
            [
                Id("customer", "cus_"),
                Id("subscription", "sub_"),
                new StringParam("status", "", Enum: ["draft", "open", "paid", "uncollectible", "void"]),
                .. Paging,
            ]),
        new("search_invoices", "invoices.read", "Search invoices",
            "Find invoices by customer, status, total, currency, number, subscription or metadata.",
            Get, "/v1/invoices/search", Read,
            [.. Search("customer, status, total, currency, number, subscription, created, metadata", "status:\"open\" AND total>10000")]),
        new("finalize_invoice", "invoices.update", "Finalize invoice",
            "Finalize a draft invoice: it gets a number, can no longer be edited, and is open for payment (paid if its total is zero), with hosted_invoice_url for the customer.",
            Post, "/v1/invoices/{invoice}/finalize", Hints.Write,
            [
                Invoice(),
                new BoolParam("auto_advance", "Stripe then collects it (charges or emails it)."),
            ]),
        new("send_invoice", "invoices.update", "Send invoice",
            "Email an open send_invoice invoice to the customer with a link to pay it; again, a reminder.",
            Post, "/v1/invoices/{invoice}/send", Hints.Write,
            [Invoice()]),
        new("pay_invoice", "invoices.update", "Pay invoice",
            "Collect an open invoice now: charge the given payment method, else the invoice's or customer's default (a decline returns card_error with decline_code), or record it paid outside Stripe (paid_out_of_band). A draft is finalized first.",
            Post, "/v1/invoices/{invoice}/pay", Hints.Write,
            [
                Invoice(),
                Id("payment_method", "pm_", "The customer's, to charge."),
                new BoolParam("paid_out_of_band", "true marks it paid (e.g. by check); no money moves in Stripe."),
                new BoolParam("off_session", "The customer is not present (default true)."),
            ])
        {
            Check = a => a.Has("paid_out_of_band") && a["paid_out_of_band"].GetBoolean() && a.Has("payment_method")
                ? ["payment_method: cannot be combined with paid_out_of_band"] : [],
        },
        new("void_invoice", "invoices.update", "Void invoice",
            "Void an open invoice (e.g. sent in error): it can no longer be paid and stays on record as void. Cannot be undone; a draft is deleted instead.",
            Post, "/v1/invoices/{invoice}/void", Hints.Destructive,
            [Invoice()]),
    ];
}
