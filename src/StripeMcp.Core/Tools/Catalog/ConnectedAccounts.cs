using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

/// <summary>Connect: the platform's connected accounts and their onboarding links (platform-level, never on behalf of an account).</summary>
internal static class ConnectedAccounts
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_connected_account", "accounts.create", "Create connected account",
            "Create a connected account on your Connect platform for a seller or service provider, then send them an onboarding link (create_account_link).",
            Post, "/v1/accounts", Hints.Write,
            [
                new StringParam("type", "express: Stripe-hosted dashboard; standard: full Stripe account; custom: you build all.", Enum: ["express", "standard", "custom"]),
                new StringParam("country", "Two-letter code, e.g. US.", MaxLength: 2),
                new StringParam("email", "The account holder's.", MaxLength: 512),
                new StringParam("business_type", "", Enum: ["individual", "company", "non_profit", "government_entity"]),
                new ObjectParam("capabilities", "Express and custom accounts request at least one.",
                [
                    new ObjectParam("card_payments", "Accept cards.", [new BoolParam("requested", "true requests it.", Required: true)]),
                    new ObjectParam("transfers", "Receive transfers.", [new BoolParam("requested", "true requests it.", Required: true)]),
                ]),
                new ObjectParam("business_profile", "Public details.",
                [
                    new StringParam("name", "Customer-facing name.", MaxLength: 200),
                    new StringParam("url", "Website.", MaxLength: 5000),
                    new StringParam("product_description", "What it sells.", MaxLength: 5000),
                ]),
                Metadata,
            ]),
        new("retrieve_connected_account", "accounts.read", "Retrieve connected account",
            "Retrieve one connected account: charges_enabled, payouts_enabled, details_submitted, capabilities, requirements (what onboarding still needs).",
            Get, "/v1/accounts/{account}", Read,
            [Id("account", "acct_", required: true)]),
        new("list_connected_accounts", "accounts.read", "List connected accounts",
            "List the platform's connected accounts.",
            Get, "/v1/accounts", Read,
            [.. Paging]),
        new("create_account_link", "accountLinks.create", "Create account link",
            "Create a single-use onboarding (or update) link for a connected account: send its url to the account holder. It expires within minutes; then create a new one.",
            Post, "/v1/account_links", Hints.Write,
            [
                Id("account", "acct_", required: true),
                new StringParam("type", "", Required: true, Enum: ["account_onboarding", "account_update"]),
                new StringParam("refresh_url", "Where the user goes if the link expired or was used; make a new link there.", MaxLength: 5000),
                new StringParam("return_url", "Where the user goes on finishing or leaving.", MaxLength: 5000),
            ]),
    ];
}
