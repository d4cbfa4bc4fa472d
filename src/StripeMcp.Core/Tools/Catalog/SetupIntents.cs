using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class SetupIntents
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_setup_intent", "setupIntents.create", "Create setup intent",
            "Create a setup intent: save a payment method for a customer to charge later, charging nothing now. With payment_method and confirm: true it is verified and attached at once; else a front end finishes it with its client_secret.",
            Post, "/v1/setup_intents", Hints.Write,
            [
                Id("customer", "cus_"),
                Id("payment_method", "pm_", "To save (test card: pm_card_visa)."),
                new BoolParam("confirm", "true verifies and saves it at once."),
                new StringParam("usage", "off_session (default): charged without the customer present.", Enum: ["on_session", "off_session"]),
                Description("What it is for."),
                Metadata,
            ]),
        new("retrieve_setup_intent", "setupIntents.read", "Retrieve setup intent",
            "Retrieve one setup intent: status (requires_payment_method, requires_confirmation, requires_action, processing, succeeded, canceled), customer, payment_method, last_setup_error.",
            Get, "/v1/setup_intents/{setup_intent}", Read,
            [Id("setup_intent", "seti_", required: true)]),
        new("list_setup_intents", "setupIntents.read", "List setup intents",
            "List setup intents, optionally of one customer or payment method.",
            Get, "/v1/setup_intents", Read,
            [
                Id("customer", "cus_"),
                Id("payment_method", "pm_"),
                .. Paging,
            ]),
    ];
}
