using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Invoices
{
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
            Check = a => a.Has("days_until_due") && (!a.Has("collection_method") || a["collection_method"].GetString() != "send_invoice")
                ? ["days_until_due: only applies with collection_method \"send_invoice\""] : [],
        },
        new("list_invoices", "invoices.read", "List invoices",
            "List invoices, optionally for one customer or subscription, or in one status." + ListResult,
            Get, "/v1/invoices", Read,
            [
                Id("customer", "cus_", "Only invoices of this customer (cus_…)."),
                Id("subscription", "sub_", "Only invoices of this subscription (sub_…)."),
                new StringParam("status", "Only invoices in this status.", Enum: ["draft", "open", "paid", "uncollectible", "void"]),
                .. Paging("invoices"),
            ]),
        new("finalize_invoice", "invoices.update", "Finalize invoice",
            "Finalize a draft invoice: it gets a number and can no longer be edited, and becomes \"open\" for payment (or \"paid\" when its total is zero). Returns the whole invoice object, with hosted_invoice_url for the customer.",
            Post, "/v1/invoices/{invoice}/finalize", Hints.None,
            [
                Id("invoice", "in_", "The id of the draft invoice (in_…).", required: true),
                new BoolParam("auto_advance", "Let Stripe collect it automatically after finalizing (charge or email it)."),
            ]),
    ];
}
