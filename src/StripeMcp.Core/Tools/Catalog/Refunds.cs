using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Refunds
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_refund", "refunds.create", "Create refund",
            "Refund a payment, fully or partly: give its payment intent or charge. Without amount, all that is left is refunded. This moves money back to the customer: confirm the payment and amount first.",
            Post, "/v1/refunds", Hints.Write,
            [
                Id("payment_intent", "pi_", "Give this or charge."),
                Id("charge", "ch_", "Give this or payment_intent."),
                Amount("amount", "At most what is left", minimum: 1),
                new StringParam("reason", "fraudulent also helps Stripe block similar payments.", Enum: ["duplicate", "fraudulent", "requested_by_customer"]),
                Metadata,
            ])
        {
            Check = a => Rules.ExactlyOne(a, "payment_intent", "charge"),
        },
        new("retrieve_refund", "refunds.read", "Retrieve refund",
            "Retrieve one refund: amount, status (pending, succeeded, failed, canceled), the charge and payment intent it refunds, reason.",
            Get, "/v1/refunds/{refund}", Read,
            [Id("refund", "re_", required: true)]),
        new("list_refunds", "refunds.read", "List refunds",
            "List refunds, optionally of one charge or payment intent.",
            Get, "/v1/refunds", Read,
            [
                Id("charge", "ch_"),
                Id("payment_intent", "pi_"),
                .. Paging,
            ]),
    ];
}
