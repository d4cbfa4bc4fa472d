using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentIntents
{
    private static IdParam PaymentIntent => Id("payment_intent", "pi_", required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_payment_intent", "paymentIntents.create", "Create payment intent",
            "Create a payment intent: one payment of an amount (at least 50 cents or equivalent), charged to a payment method directly, with no page. With payment_method and confirm: true it charges at once; else confirm later (confirm_payment_intent). capture_method manual only authorizes (capture with capture_payment_intent). Test cards: pm_card_visa succeeds, pm_card_chargeDeclined declines. For a page the customer pays on, use create_checkout_session or create_payment_link.",
            Post, "/v1/payment_intents", Hints.Write,
            [
                Amount("amount", "How much to collect", required: true, minimum: 1),
                Currency(required: true),
                Id("customer", "cus_", "Needed to charge their saved payment methods."),
                Id("payment_method", "pm_", "To charge (test card: pm_card_visa)."),
                new BoolParam("confirm", "true charges at once."),
                new StringParam("capture_method", "manual only authorizes, to capture within 7 days; the others capture at once.", Enum: ["automatic", "automatic_async", "manual"]),
                new BoolParam("off_session", "With confirm: the customer is not present (a background charge)."),
                Description("Shown in the Dashboard and on receipts."),
                new StringParam("receipt_email", "Receipt goes here on success.", MaxLength: 512),
                new ArrayParam("allowed_payment_method_types", "Accepted types only, e.g. card.", new StringParam("type", "E.g. card.", MaxLength: 50), MaxItems: 20),
                new StringParam("setup_future_usage", "Save the payment method to the customer for later.", Enum: ["on_session", "off_session"]),
                Metadata,
            ]),
        new("retrieve_payment_intent", "paymentIntents.read", "Retrieve payment intent",
            "Retrieve one payment intent: amount, status (requires_payment_method, requires_confirmation, requires_action, processing, requires_capture, succeeded, canceled), latest_charge, last_payment_error.",
            Get, "/v1/payment_intents/{payment_intent}", Read,
            [PaymentIntent]),
        new("update_payment_intent", "paymentIntents.update", "Update payment intent",
            "Change a payment intent that has not succeeded or been cancelled.",
            Post, "/v1/payment_intents/{payment_intent}", Hints.Idempotent,
            [
                PaymentIntent,
                Amount("amount", "The new amount", minimum: 1),
                Currency(),
                Id("customer", "cus_"),
                Id("payment_method", "pm_", "Charged on confirmation."),
                Description("Shown in the Dashboard and on receipts."),
                new StringParam("receipt_email", "Receipt goes here on success.", MaxLength: 512),
                Metadata,
            ]),
        new("list_payment_intents", "paymentIntents.read", "List payment intents",
            "List payment intents (payments and attempts), optionally of one customer; each has its amount and a status such as succeeded, requires_payment_method or canceled.",
            Get, "/v1/payment_intents", Read,
            [
                Id("customer", "cus_"),
                .. Paging,
            ]),
        new("search_payment_intents", "paymentIntents.read", "Search payment intents",
            "Find payment intents by amount, currency, customer, status or metadata.",
            Get, "/v1/payment_intents/search", Read,
            [.. Search("amount, currency, customer, status, created, metadata", "status:\"succeeded\" AND amount>1000")]),
        new("confirm_payment_intent", "paymentIntents.update", "Confirm payment intent",
            "Confirm a payment intent: charge its payment method (or the one given). A decline returns Stripe's card_error with decline_code and leaves it in requires_payment_method; a card needing 3-D Secure leaves it in requires_action.",
            Post, "/v1/payment_intents/{payment_intent}/confirm", Hints.Write,
            [
                PaymentIntent,
                Id("payment_method", "pm_", "To charge, if not set yet (test card: pm_card_visa)."),
                new BoolParam("off_session", "The customer is not present (a background charge)."),
                new StringParam("return_url", "Where the customer goes after authenticating, for methods that redirect.", MaxLength: 5000),
                new StringParam("receipt_email", "Receipt goes here on success.", MaxLength: 512),
            ]),
        new("capture_payment_intent", "paymentIntents.update", "Capture payment intent",
            "Capture an authorized payment intent (status requires_capture, capture_method manual): the money is taken. With amount_to_capture less is taken and the rest released.",
            Post, "/v1/payment_intents/{payment_intent}/capture", Hints.Write,
            [
                PaymentIntent,
                Amount("amount_to_capture", "At most the authorized amount (default: all of it)", minimum: 1),
                Metadata,
            ]),
        new("cancel_payment_intent", "paymentIntents.update", "Cancel payment intent",
            "Cancel a payment intent that has not succeeded: no more charge attempts, and an uncaptured authorization is released. Cannot be undone. To give back money of a succeeded payment, use create_refund.",
            Post, "/v1/payment_intents/{payment_intent}/cancel", Hints.Destructive,
            [
                PaymentIntent,
                new StringParam("cancellation_reason", "", Enum: ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]),
            ]),
    ];
}
