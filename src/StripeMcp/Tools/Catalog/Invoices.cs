using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Invoices
{
    private static IdParam Invoice(string what) => Id("invoice", "in_", what, required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_invoice", "invoices.create", "Create invoice",
            "Create a draft invoice for a customer. Add lines with create_invoice_item (giving this invoice's id), then finalize_invoice to issue it. With collection_method \"send_invoice\" the customer pays by the link Stripe emails, due after days_until_due; with \"charge_automatically\" (default) Stripe charges their saved payment method. Returns the whole invoice object (in_…).",
            Post, "/v1/invoices", Hints.None,
            [
                Id("customer", "cus_", "The customer to invoice (cus_…).", required: true),
                new StringParam("collection_method", "\"charge_automatically\" (default) charges the customer's default payment method; \"send_invoice\" emails the invoice for them to pay.", Enum: ["charge_automatically", "send_invoice"]),
                new IntParam("days_until_due", "With collection_method \"send_invoice\": days until the invoice is due.", Minimum: 0, Maximum: 1825),
                Description("Memo shown on the invoice."),
                new BoolParam("auto_advance", "Let Stripe finalize and collect the invoice automatically about an hour after creation. Defaults to false for invoices created by API."),
                new StringParam("pending_invoice_items_behavior", "\"include\" adds the customer's pending invoice items to this invoice; \"exclude\" (default) leaves them for later.", Enum: ["include", "exclude"]),
                Metadata,
            ])
        {
            Money = MoneyOf.NewInvoice,
            Check = a => a.Has("days_until_due") && (!a.Has("collection_method") || a["collection_method"].GetString() != "send_invoice")
                ? ["days_until_due: only applies with collection_method \"send_invoice\""] : [],
        },
        new("retrieve_invoice", "invoices.read", "Retrieve invoice",
            "Retrieve one invoice with its lines, totals (amount_due, amount_paid, amount_remaining in the smallest currency unit), status (draft, open, paid, uncollectible, void), number and hosted_invoice_url.",
            Get, "/v1/invoices/{invoice}", Read,
            [Invoice("The id of the invoice (in_…).")]),
        new("list_invoices", "invoices.read", "List invoices",
            "List invoices, optionally for one customer or subscription, or in one status.",
            Get, "/v1/invoices", Read,
            [
                Id("customer", "cus_", "Only invoices of this customer (cus_…)."),
                Id("subscription", "sub_", "Only invoices of this subscription (sub_…)."),
                new StringParam("status", "Only invoices in this status.", Enum: ["draft", "open", "paid", "uncollectible", "void"]),
                .. Paging,
            ]),
        new("search_invoices", "invoices.read", "Search invoices",
            "Find invoices by customer, status, total, currency, number, subscription or metadata.",
            Get, "/v1/invoices/search", Read,
            [.. Search("customer, status, total, currency, number, subscription, created, metadata", "status:\"open\" AND total>10000")]),
        new("finalize_invoice", "invoices.update", "Finalize invoice",
            "Finalize a draft invoice: it gets a number and can no longer be edited, and becomes \"open\" for payment (or \"paid\" when its total is zero). Returns the whole invoice object, with hosted_invoice_url for the customer.",
            Post, "/v1/invoices/{invoice}/finalize", Hints.None,
            [
                Invoice("The id of the draft invoice (in_…)."),
                new BoolParam("auto_advance", "Let Stripe collect it automatically after finalizing (charge or email it)."),
            ])
        {
            Money = MoneyOf.Invoice("amount_due"),
        },
        new("send_invoice", "invoices.update", "Send invoice",
            "Email an open invoice (collection_method \"send_invoice\") to the customer, with a link to pay it. Sending again sends a reminder. Returns the whole invoice.",
            Post, "/v1/invoices/{invoice}/send", Hints.None,
            [Invoice("The id of the open invoice (in_…).")])
        {
            Money = MoneyOf.Invoice("amount_remaining"),
        },
        new("pay_invoice", "invoices.update", "Pay invoice",
            "Collect an open invoice now: charge the given payment method, else the invoice's or customer's default (a decline returns Stripe's card_error with the decline_code), or record it as paid outside Stripe with paid_out_of_band. A draft is finalized first. Returns the whole invoice.",
            Post, "/v1/invoices/{invoice}/pay", Hints.None,
            [
                Invoice("The id of the invoice to pay (in_…)."),
                Id("payment_method", "pm_", "The customer's payment method (pm_…) to charge."),
                new BoolParam("paid_out_of_band", "true marks the invoice paid without charging (e.g. paid by check); no money moves in Stripe."),
                new BoolParam("off_session", "The customer is not present (default true)."),
            ])
        {
            Money = MoneyOf.PayInvoice,
            Check = a => a.Has("paid_out_of_band") && a["paid_out_of_band"].GetBoolean() && a.Has("payment_method")
                ? ["payment_method: cannot be combined with paid_out_of_band"] : [],
        },
        new("void_invoice", "invoices.update", "Void invoice",
            "Void an open invoice: it can no longer be paid and stays on record as void. Use it for invoices sent in error. This cannot be undone; a draft must be deleted instead.",
            Post, "/v1/invoices/{invoice}/void", Hints.Destructive,
            [Invoice("The id of the open invoice to void (in_…).")]),
    ];
}
