using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Refunds
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_refund", "refunds.create", "Create refund",
            "Refund a payment, fully or partly. Give the payment intent (pi_…) or the charge (ch_…) it was made with. Without `amount` the whole remaining amount is refunded; with it, only that amount (in the currency's smallest unit, at most what is left to refund). This moves money back to the customer: confirm the payment and amount first. Returns the whole refund object (re_…).",
            Post, "/v1/refunds", Hints.None,
            [
                Id("payment_intent", "pi_", "The payment intent to refund (pi_…). Give this or charge."),
                Id("charge", "ch_", "The charge to refund (ch_…). Give this or payment_intent."),
                Amount("amount", "How much to refund, if not everything that is left", minimum: 1),
                new StringParam("reason", "Why, if one of Stripe's reasons applies; \"fraudulent\" also helps Stripe block similar payments.", Enum: ["duplicate", "fraudulent", "requested_by_customer"]),
                Metadata,
            ])
        {
            Money = MoneyOf.Refund,
            Check = a => Rules.ExactlyOne(a, "payment_intent", "charge"),
        },
        new("retrieve_refund", "refunds.read", "Retrieve refund",
            "Retrieve one refund: amount, status (pending, succeeded, failed, canceled), the charge and payment intent it refunds, and reason.",
            Get, "/v1/refunds/{refund}", Read,
            [Id("refund", "re_", "The id of the refund (re_…).", required: true)]),
        new("list_refunds", "refunds.read", "List refunds",
            "List refunds, optionally of one charge or payment intent.",
            Get, "/v1/refunds", Read,
            [
                Id("charge", "ch_", "Only refunds of this charge (ch_…)."),
                Id("payment_intent", "pi_", "Only refunds of this payment intent (pi_…)."),
                .. Paging,
            ]),
    ];
}
