using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentLinks
{
    private static ObjectParam AfterCompletion => new("after_completion", "What happens after payment: Stripe's confirmation page (default) or a redirect to your URL.",
    [
        new StringParam("type", "\"hosted_confirmation\" or \"redirect\" (then give redirect.url).", Required: true, Enum: ["hosted_confirmation", "redirect"]),
        new ObjectParam("redirect", "Where to send the customer when type is \"redirect\".",
        [
            new StringParam("url", "The https URL to redirect to after payment.", Required: true, MaxLength: 2048),
        ]),
    ]);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_payment_link", "paymentLinks.create", "Create payment link",
            "Create a payment link: a shareable Stripe-hosted checkout page for one or more prices (create the product and price first). Send the returned `url` to the customer. Recurring prices make it a subscription sign-up. Returns the whole payment link object (plink_…).",
            Post, "/v1/payment_links", Hints.None,
            [
                new ArrayParam("line_items", "What the customer buys: 1 to 20 prices with quantities.",
                    new ObjectParam("line_item", "One price and how many of it.",
                    [
                        Id("price", "price_", "The id of the price (price_…).", required: true),
                        new IntParam("quantity", "How many units, at least 1.", Required: true, Minimum: 1, Maximum: 999_999),
                    ]), Required: true, MinItems: 1, MaxItems: 20),
                AfterCompletion,
                new BoolParam("allow_promotion_codes", "Let customers enter promotion codes on the page."),
                Metadata,
            ])
        {
            Money = MoneyOf.LineItems(),
        },
        new("list_payment_links", "paymentLinks.read", "List payment links",
            "List payment links, optionally only active or only deactivated ones. Each has its shareable url.",
            Get, "/v1/payment_links", Read,
            [
                new BoolParam("active", "true: only links that accept payments; false: only deactivated ones."),
                .. Paging,
            ]),
        new("update_payment_link", "paymentLinks.update", "Update payment link",
            "Change a payment link: deactivate it (active: false) so its URL stops accepting payments, reactivate it, or change what happens after payment or its metadata. Returns the whole payment link.",
            Post, "/v1/payment_links/{payment_link}", Hints.Idempotent,
            [
                Id("payment_link", "plink_", "The id of the payment link (plink_…).", required: true),
                new BoolParam("active", "false deactivates the link; true reactivates it."),
                new BoolParam("allow_promotion_codes", "Let customers enter promotion codes on the page."),
                new StringParam("inactive_message", "Message shown to customers who open the link while it is deactivated.", MaxLength: 500),
                AfterCompletion,
                Metadata,
            ]),
    ];
}
