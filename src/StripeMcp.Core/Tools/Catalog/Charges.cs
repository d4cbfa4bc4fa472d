using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Charges
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("retrieve_charge", "charges.read", "Retrieve charge",
            "Retrieve one charge (a payment's actual attempt to move money): amount, amount_captured, amount_refunded, status, outcome (why it succeeded or was declined), card details, receipt_url.",
            Get, "/v1/charges/{charge}", Read,
            [Id("charge", "ch_", required: true)]),
        new("list_charges", "charges.read", "List charges",
            "List charges, failed ones too, optionally of one customer or payment intent.",
            Get, "/v1/charges", Read,
            [
                Id("customer", "cus_"),
                Id("payment_intent", "pi_"),
                .. Paging,
            ]),
        new("search_charges", "charges.read", "Search charges",
            "Find charges by amount, currency, customer, status, card last4, refunded/disputed flags or metadata.",
            Get, "/v1/charges/search", Read,
            [.. Search("amount, currency, customer, status, payment_intent, last4, refunded, disputed, created, metadata", "status:\"failed\" AND customer:\"cus_123\"")]),
    ];
}
