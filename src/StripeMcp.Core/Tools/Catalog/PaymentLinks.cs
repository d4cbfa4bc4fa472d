using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentLinks
{
    private static ObjectParam AfterCompletion => new("after_completion", "After payment: Stripe's confirmation page (default) or a redirect.",
    [
        new StringParam("type", "redirect needs redirect.url.", Required: true, Enum: ["hosted_confirmation", "redirect"]),
        new ObjectParam("redirect", "With type redirect.",
        [
            new StringParam("url", "https URL.", Required: true, MaxLength: 2048),
        ]),
    ]);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_payment_link", "paymentLinks.create", "Create payment link",
            "Create a payment link: a reusable Stripe-hosted page anyone can pay on, for one or more prices (create product and price first); recurring prices make it a subscription sign-up. Share its url. For one customer's single purchase, use create_checkout_session.",
            Post, "/v1/payment_links", Hints.Write,
            [
                new ArrayParam("line_items", "What the customer buys.",
                    new ObjectParam("line_item", "A price and its quantity.",
                    [
                        Id("price", "price_", required: true),
                        new IntParam("quantity", "Units.", Required: true, Minimum: 1, Maximum: 999_999),
                    ]), Required: true, MinItems: 1, MaxItems: 20),
                AfterCompletion,
                new BoolParam("allow_promotion_codes", "Customers may enter promotion codes."),
                Metadata,
            ]),
        new("list_payment_links", "paymentLinks.read", "List payment links",
            "List payment links, each with its url, optionally only active or only deactivated ones.",
            Get, "/v1/payment_links", Read,
            [
                new BoolParam("active", "true: only those accepting payments; false: only deactivated."),
                .. Paging,
            ]),
        new("update_payment_link", "paymentLinks.update", "Update payment link",
            "Change a payment link: deactivate it (active: false) so its url stops taking payments, reactivate it, or change what happens after payment, or its metadata.",
            Post, "/v1/payment_links/{payment_link}", Hints.Idempotent,
            [
                Id("payment_link", "plink_", required: true),
                new BoolParam("active", "false deactivates it; true reactivates it."),
                new BoolParam("allow_promotion_codes", "Customers may enter promotion codes."),
                new StringParam("inactive_message", "Shown on the page while deactivated.", MaxLength: 500),
                AfterCompletion,
                Metadata,
            ]),
    ];
}
