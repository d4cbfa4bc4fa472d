using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentLinks
{
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
                new ObjectParam("after_completion", "What happens after payment: Stripe's confirmation page (default) or a redirect to your URL.",
                [
                    new StringParam("type", "\"hosted_confirmation\" or \"redirect\" (then give redirect.url).", Required: true, Enum: ["hosted_confirmation", "redirect"]),
                    new ObjectParam("redirect", "Where to send the customer when type is \"redirect\".",
                    [
                        new StringParam("url", "The https URL to redirect to after payment.", Required: true, MaxLength: 2048),
                    ]),
                ]),
                new BoolParam("allow_promotion_codes", "Let customers enter promotion codes on the page."),
                Metadata,
            ]),
    ];
}
