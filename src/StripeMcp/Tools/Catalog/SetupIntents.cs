using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class SetupIntents
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_setup_intent", "setupIntents.create", "Create setup intent",
            "Create a setup intent: save a payment method for a customer to charge later without charging now. With payment_method and confirm: true it is verified at once and attached to the customer. Returns the whole setup intent with its status and client_secret (for a front end to finish the setup).",
            Post, "/v1/setup_intents", Hints.None,
            [
                Id("customer", "cus_", "The customer (cus_…) to save the payment method for."),
                Id("payment_method", "pm_", "The payment method (pm_…, or a test card like pm_card_visa) to save."),
                new BoolParam("confirm", "true verifies and saves the payment method immediately."),
                new StringParam("usage", "How it will be used: off_session (default, charge without the customer present) or on_session.", Enum: ["on_session", "off_session"]),
                Description("What the setup is for."),
                Metadata,
            ]),
        new("retrieve_setup_intent", "setupIntents.read", "Retrieve setup intent",
            "Retrieve one setup intent: status (requires_payment_method, requires_confirmation, requires_action, processing, succeeded, canceled), customer, payment_method and last_setup_error.",
            Get, "/v1/setup_intents/{setup_intent}", Read,
            [Id("setup_intent", "seti_", "The id of the setup intent (seti_…).", required: true)]),
        new("list_setup_intents", "setupIntents.read", "List setup intents",
            "List setup intents, optionally for one customer or payment method.",
            Get, "/v1/setup_intents", Read,
            [
                Id("customer", "cus_", "Only setup intents of this customer (cus_…)."),
                Id("payment_method", "pm_", "Only setup intents for this payment method (pm_…)."),
                .. Paging,
            ]),
    ];
}
