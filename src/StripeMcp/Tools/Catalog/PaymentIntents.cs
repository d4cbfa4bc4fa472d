using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentIntents
{
    private static IdParam PaymentIntent => Id("payment_intent", "pi_", "The id of the payment intent (pi_…).", required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_payment_intent", "paymentIntents.create", "Create payment intent",
            "Create a payment intent: the record of one payment attempt for an amount (in the currency's smallest unit, at least 50 cents or equivalent). With payment_method and confirm: true it charges at once; otherwise confirm later with confirm_payment_intent. capture_method \"manual\" only authorizes (capture later with capture_payment_intent). Test cards: pm_card_visa succeeds, pm_card_chargeDeclined declines. Returns the whole payment intent with its status.",
            Post, "/v1/payment_intents", Hints.None,
            [
                Amount("amount", "How much to collect", required: true, minimum: 1),
                Currency(required: true),
                Id("customer", "cus_", "The customer (cus_…) paying; needed to charge their saved payment methods."),
                Id("payment_method", "pm_", "The payment method (pm_…, or a test card like pm_card_visa) to charge."),
                new BoolParam("confirm", "true confirms (charges) immediately with payment_method."),
                new StringParam("capture_method", "\"automatic\"/\"automatic_async\" (default) captures at once; \"manual\" only authorizes, to capture within 7 days.", Enum: ["automatic", "automatic_async", "manual"]),
                new BoolParam("off_session", "With confirm: true, the customer is not present (e.g. a background charge of a saved card)."),
                Description("What the payment is for; shown in the Dashboard and on receipts."),
                new StringParam("receipt_email", "Email a receipt to this address when the payment succeeds.", MaxLength: 512),
                new ArrayParam("allowed_payment_method_types", "Restrict accepted payment method types, e.g. [\"card\"].", new StringParam("type", "A payment method type, e.g. card.", MaxLength: 50), MaxItems: 20),
                new StringParam("setup_future_usage", "Save the payment method to the customer for later: on_session or off_session.", Enum: ["on_session", "off_session"]),
                Metadata,
            ])
        {
            Money = MoneyOf.Fields("amount"),
        },
        new("retrieve_payment_intent", "paymentIntents.read", "Retrieve payment intent",
            "Retrieve one payment intent: amount, status (requires_payment_method, requires_confirmation, requires_action, processing, requires_capture, succeeded, canceled), latest_charge and last_payment_error.",
            Get, "/v1/payment_intents/{payment_intent}", Read,
            [PaymentIntent]),
        new("update_payment_intent", "paymentIntents.update", "Update payment intent",
            "Change a payment intent that has not succeeded or been cancelled: amount, currency, customer, payment method, description, receipt email, metadata. Returns the whole payment intent.",
            Post, "/v1/payment_intents/{payment_intent}", Hints.Idempotent,
            [
                PaymentIntent,
                Amount("amount", "The new amount", minimum: 1),
                Currency(),
                Id("customer", "cus_", "The customer (cus_…) paying."),
                Id("payment_method", "pm_", "The payment method (pm_…) to charge on confirmation."),
                Description("What the payment is for."),
                new StringParam("receipt_email", "Email a receipt to this address when the payment succeeds.", MaxLength: 512),
                Metadata,
            ])
        {
            Money = MoneyOf.IntentUpdate,
        },
        new("list_payment_intents", "paymentIntents.read", "List payment intents",
            "List payment intents (payments and payment attempts), optionally for one customer. Each has its amount in the smallest currency unit and a status such as succeeded, requires_payment_method or canceled.",
            Get, "/v1/payment_intents", Read,
            [
                Id("customer", "cus_", "Only payment intents of this customer (cus_…)."),
                .. Paging,
            ]),
        new("search_payment_intents", "paymentIntents.read", "Search payment intents",
            "Find payment intents by amount, currency, customer, status or metadata.",
            Get, "/v1/payment_intents/search", Read,
            [.. Search("amount, currency, customer, status, created, metadata", "status:\"succeeded\" AND amount>1000")]),
        new("confirm_payment_intent", "paymentIntents.update", "Confirm payment intent",
            "Confirm a payment intent: charge its payment method (or the one given). A decline returns Stripe's card_error with the decline_code and leaves the intent in requires_payment_method; a card that needs 3-D Secure leaves it in requires_action. Returns the whole payment intent.",
            Post, "/v1/payment_intents/{payment_intent}/confirm", Hints.None,
            [
                PaymentIntent,
                Id("payment_method", "pm_", "The payment method (pm_…, or a test card like pm_card_visa) to charge, if not already set."),
                new BoolParam("off_session", "The customer is not present (a background charge)."),
                new StringParam("return_url", "Where to send the customer after authentication, for payment methods that redirect.", MaxLength: 5000),
                new StringParam("receipt_email", "Email a receipt to this address when the payment succeeds.", MaxLength: 512),
            ])
        {
            Money = MoneyOf.Confirm,
        },
        new("capture_payment_intent", "paymentIntents.update", "Capture payment intent",
            "Capture an authorized payment intent (status requires_capture, created with capture_method \"manual\"): the money is taken. Capture less than authorized with amount_to_capture; the rest is released. Returns the whole payment intent.",
            Post, "/v1/payment_intents/{payment_intent}/capture", Hints.None,
            [
                PaymentIntent,
                Amount("amount_to_capture", "How much to capture, at most the authorized amount; defaults to all of it", minimum: 1),
                Metadata,
            ])
        {
            Money = MoneyOf.Capture,
        },
        new("cancel_payment_intent", "paymentIntents.update", "Cancel payment intent",
            "Cancel a payment intent that has not succeeded: no further charge attempts are possible, and an uncaptured authorization is released. This cannot be undone. To return money from a succeeded payment, use create_refund instead.",
            Post, "/v1/payment_intents/{payment_intent}/cancel", Hints.Destructive,
            [
                PaymentIntent,
                new StringParam("cancellation_reason", "Why it was cancelled.", Enum: ["duplicate", "fraudulent", "requested_by_customer", "abandoned"]),
            ]),
    ];
}
