using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentIntents
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_payment_intents", "paymentIntents.read", "List payment intents",
            "List payment intents (payments and payment attempts), optionally for one customer. Each has its amount in the smallest currency unit and a status such as succeeded, requires_payment_method or canceled." + ListResult,
            Get, "/v1/payment_intents", Read,
            [
                Id("customer", "cus_", "Only payment intents of this customer (cus_…)."),
                .. Paging("payment intents"),
            ]),
    ];
}
