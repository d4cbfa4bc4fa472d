using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class CheckoutSessions
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_checkout_session", "checkoutSessions.create", "Create checkout session",
            "Create a Stripe-hosted checkout page for one customer and one purchase: mode \"payment\" (one-time prices), \"subscription\" (at least one recurring price) or \"setup\" (save a card, no line items, give currency). Send the returned `url` to the customer; it expires after 24 hours. Unlike a payment link, a session is single-use and can be tied to a customer.",
            Post, "/v1/checkout/sessions", Hints.None,
            [
                new StringParam("mode", "payment, subscription or setup.", Required: true, Enum: ["payment", "subscription", "setup"]),
                new ArrayParam("line_items", "What the customer buys (payment and subscription modes): prices with quantities.",
                    new ObjectParam("line_item", "One price and how many of it.",
                    [
                        Id("price", "price_", "The id of the price (price_…).", required: true),
                        new IntParam("quantity", "How many units, at least 1.", Required: true, Minimum: 1, Maximum: 999_999),
                    ]), MaxItems: 100),
                new StringParam("success_url", "Where Stripe sends the customer after they pay (https URL). {CHECKOUT_SESSION_ID} in it is replaced by the session id.", MaxLength: 5000),
                new StringParam("cancel_url", "Where Stripe sends the customer if they go back.", MaxLength: 5000),
                Id("customer", "cus_", "An existing customer (cus_…) to attach the payment or subscription to."),
                new StringParam("customer_email", "Prefill the email on the page when there is no customer.", MaxLength: 512),
                new StringParam("client_reference_id", "Your own reference (e.g. a cart or user id) to reconcile the session later.", MaxLength: 200),
                Currency(extra: "Required in setup mode."),
                new BoolParam("allow_promotion_codes", "Let customers enter promotion codes."),
                new IntParam("expires_at", "When the session expires, as a Unix timestamp (30 minutes to 24 hours from now).", Minimum: 0),
                Metadata,
            ])
        {
            Money = MoneyOf.LineItems(),
            Check = a => a.Has("mode") && a["mode"].GetString() != "setup" && !a.Has("line_items")
                ? ["line_items: is required in payment and subscription mode"] : [],
        },
        new("retrieve_checkout_session", "checkoutSessions.read", "Retrieve checkout session",
            "Retrieve one checkout session: status (open, complete, expired), payment_status (paid, unpaid, no_payment_required), amounts, customer, and the payment intent or subscription it created.",
            Get, "/v1/checkout/sessions/{session}", Read,
            [Id("session", "cs_", "The id of the checkout session (cs_…).", required: true)]),
        new("list_checkout_sessions", "checkoutSessions.read", "List checkout sessions",
            "List checkout sessions, optionally for one customer, payment intent, payment link or subscription, or in one status.",
            Get, "/v1/checkout/sessions", Read,
            [
                Id("customer", "cus_", "Only sessions of this customer (cus_…)."),
                new StringParam("status", "Only sessions in this status.", Enum: ["open", "complete", "expired"]),
                Id("payment_intent", "pi_", "Only the session that created this payment intent (pi_…)."),
                Id("payment_link", "plink_", "Only sessions opened from this payment link (plink_…)."),
                Id("subscription", "sub_", "Only the session that created this subscription (sub_…)."),
                .. Paging,
            ]),
        new("list_checkout_session_line_items", "checkoutSessions.read", "List checkout session line items",
            "List what a checkout session sells: each line's price, quantity and amounts (subtotal, total, in the smallest currency unit).",
            Get, "/v1/checkout/sessions/{session}/line_items", Read,
            [
                Id("session", "cs_", "The id of the checkout session (cs_…).", required: true),
                .. Paging,
            ]),
        new("expire_checkout_session", "checkoutSessions.update", "Expire checkout session",
            "Expire an open checkout session now, so its URL can no longer be used to pay. Only open sessions can be expired; this cannot be undone.",
            Post, "/v1/checkout/sessions/{session}/expire", Hints.Destructive,
            [Id("session", "cs_", "The id of the open checkout session (cs_…).", required: true)]),
    ];
}
