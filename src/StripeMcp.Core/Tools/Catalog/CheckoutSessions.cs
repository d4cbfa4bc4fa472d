using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class CheckoutSessions
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_checkout_session", "checkoutSessions.create", "Create checkout session",
            "Create a Stripe-hosted checkout page for one customer and one purchase: mode payment (one-time prices), subscription (a recurring price among them) or setup (save a card; no line items, give currency). Send its url to the customer; it expires within 24 hours. Unlike a payment link it is single-use and can be tied to a customer; to charge a saved payment method without a page, use create_payment_intent.",
            Post, "/v1/checkout/sessions", Hints.Write,
            [
                new StringParam("mode", "", Required: true, Enum: ["payment", "subscription", "setup"]),
                new ArrayParam("line_items", "What the customer buys (payment and subscription modes).",
                    new ObjectParam("line_item", "A price and its quantity.",
                    [
                        Id("price", "price_", required: true),
                        new IntParam("quantity", "Units.", Required: true, Minimum: 1, Maximum: 999_999),
                    ]), MaxItems: 100),
                new StringParam("success_url", "https URL the customer goes to after paying; {CHECKOUT_SESSION_ID} in it becomes the session id.", MaxLength: 5000),
                new StringParam("cancel_url", "Where the customer goes if they go back.", MaxLength: 5000),
                Id("customer", "cus_", "Gets the payment or subscription."),
                new StringParam("customer_email", "Prefilled on the page, without customer.", MaxLength: 512),
                new StringParam("client_reference_id", "Your own reference, e.g. a cart id.", MaxLength: 200),
                Currency(extra: "Required in setup mode."),
                new BoolParam("allow_promotion_codes", "Customers may enter promotion codes."),
                new IntParam("expires_at", "Unix seconds, 30 minutes to 24 hours from now.", Minimum: 0),
                Metadata,
            ])
        {
            Check = a => a.Has("mode") && a["mode"].GetString() != "setup" && !a.Has("line_items")
                ? ["line_items: is required in payment and subscription mode"] : [],
        },
        new("retrieve_checkout_session", "checkoutSessions.read", "Retrieve checkout session",
            "Retrieve one checkout session: status (open, complete, expired), payment_status (paid, unpaid, no_payment_required), amounts, customer, the payment intent or subscription it created.",
            Get, "/v1/checkout/sessions/{session}", Read,
            [Id("session", "cs_", required: true)]),
        new("list_checkout_sessions", "checkoutSessions.read", "List checkout sessions",
            "List checkout sessions, optionally by customer, payment intent, payment link, subscription or status.",
            Get, "/v1/checkout/sessions", Read,
            [
                Id("customer", "cus_"),
                new StringParam("status", "", Enum: ["open", "complete", "expired"]),
                Id("payment_intent", "pi_"),
                Id("payment_link", "plink_"),
                Id("subscription", "sub_"),
                .. Paging,
            ]),
        new("list_checkout_session_line_items", "checkoutSessions.read", "List checkout session line items",
            "List what a checkout session sells: each line's price, quantity and amounts (subtotal, total).",
            Get, "/v1/checkout/sessions/{session}/line_items", Read,
            [
                Id("session", "cs_", required: true),
                .. Paging,
            ]),
        new("expire_checkout_session", "checkoutSessions.update", "Expire checkout session",
            "Expire an open checkout session now, so its url can no longer be paid on. Cannot be undone.",
            Post, "/v1/checkout/sessions/{session}/expire", Hints.Destructive,
            [Id("session", "cs_", required: true)]),
    ];
}
