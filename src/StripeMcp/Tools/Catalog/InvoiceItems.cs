using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class InvoiceItems
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_invoice_item", "invoiceItems.create", "Create invoice item",
            "Add a line to a customer's draft invoice (give `invoice`) or to their next invoice (leave it out). Charge either an existing price (pricing.price, times quantity) or a fixed amount with its currency. Returns the whole invoice item object (ii_…).",
            Post, "/v1/invoiceitems", Hints.None,
            [
                Id("customer", "cus_", "The customer to bill (cus_…).", required: true),
                Id("invoice", "in_", "The draft invoice to add the line to (in_…). Leave out to add it to the customer's next invoice."),
                new ObjectParam("pricing", "Bill an existing price.",
                [
                    Id("price", "price_", "The id of a one-time price (price_…).", required: true),
                ]),
                new IntParam("quantity", "How many units of the price. Defaults to 1.", Minimum: 1, Maximum: 999_999),
                Amount("amount", "A fixed amount for the line instead of a price (give currency too); negative amounts are not accepted here"),
                Currency(extra: "Required with amount."),
                Description("The line's description, shown on the invoice."),
                Metadata,
            ])
        {
            Money = MoneyOf.InvoiceItem,
            Check = a => Rules.ExactlyOne(a, "pricing", "amount").Concat(Rules.Requires(a, "amount", "currency"))
                .Concat(a.Has("amount") && a.Has("quantity") ? ["quantity: only applies with pricing.price; give the whole amount instead"] : []),
        },
        new("list_invoice_items", "invoiceItems.read", "List invoice items",
            "List invoice items, optionally of one customer or invoice, or only pending ones (not yet on an invoice).",
            Get, "/v1/invoiceitems", Read,
            [
                Id("customer", "cus_", "Only items of this customer (cus_…)."),
                Id("invoice", "in_", "Only items on this invoice (in_…)."),
                new BoolParam("pending", "true: only items not yet on an invoice."),
                .. Paging,
            ]),
    ];
}
