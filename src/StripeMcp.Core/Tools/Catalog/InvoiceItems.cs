using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class InvoiceItems
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_invoice_item", "invoiceItems.create", "Create invoice item",
            "Add a line to a customer's draft invoice (give invoice) or to their next one (leave it out): a price (pricing.price, times quantity) or a fixed amount with currency.",
            Post, "/v1/invoiceitems", Hints.Write,
            [
                Id("customer", "cus_", required: true),
                Id("invoice", "in_", "A draft; else the customer's next invoice."),
                new ObjectParam("pricing", "Bill a price.",
                [
                    Id("price", "price_", "A one-time price.", required: true),
                ]),
                new IntParam("quantity", "Units of the price (default 1).", Minimum: 1, Maximum: 999_999),
                Amount("amount", "Fixed, not negative, with currency, instead of pricing"),
                Currency(extra: "Required with amount."),
                Description("Shown on the invoice."),
                Metadata,
            ])
        {
            Check = a => Rules.ExactlyOne(a, "pricing", "amount").Concat(Rules.Requires(a, "amount", "currency"))
                .Concat(a.Has("amount") && a.Has("quantity") ? ["quantity: only applies with pricing.price; give the whole amount instead"] : []),
        },
        new("list_invoice_items", "invoiceItems.read", "List invoice items",
            "List invoice items, optionally by customer or invoice, or only pending ones.",
            Get, "/v1/invoiceitems", Read,
            [
                Id("customer", "cus_"),
                Id("invoice", "in_"),
                new BoolParam("pending", "true: only those not yet on an invoice."),
                .. Paging,
            ]),
    ];
}
