using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

/// <summary>Connect: the platform's connected accounts and their onboarding links (platform-level, never on behalf of an account).</summary>
internal static class ConnectedAccounts
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_connected_account", "accounts.create", "Create connected account",
            "Create a connected account on your Connect platform for a seller or service provider. Then send them an onboarding link from create_account_link. Returns the whole account (acct_…) with its requirements.",
            Post, "/v1/accounts", Hints.None,
            [
                new StringParam("type", "express (Stripe-hosted dashboard), standard (full Stripe account) or custom (you build everything).", Enum: ["express", "standard", "custom"]),
                new StringParam("country", "Two-letter country code of the account, e.g. \"US\".", MaxLength: 2),
                new StringParam("email", "The account holder's email.", MaxLength: 512),
                new StringParam("business_type", "individual, company, non_profit or government_entity.", Enum: ["individual", "company", "non_profit", "government_entity"]),
                new ObjectParam("capabilities", "What the account may do; express and custom accounts must request at least one.",
                [
                    new ObjectParam("card_payments", "Accept card payments.", [new BoolParam("requested", "true requests the capability.", Required: true)]),
                    new ObjectParam("transfers", "Receive transfers from the platform.", [new BoolParam("requested", "true requests the capability.", Required: true)]),
                ]),
                new ObjectParam("business_profile", "Public business details.",
                [
                    new StringParam("name", "The business's customer-facing name.", MaxLength: 200),
                    new StringParam("url", "The business's website.", MaxLength: 5000),
                    new StringParam("product_description", "What the business sells.", MaxLength: 5000),
                ]),
                Metadata,
            ]),
        new("retrieve_connected_account", "accounts.read", "Retrieve connected account",
            "Retrieve one connected account: charges_enabled, payouts_enabled, details_submitted, capabilities and requirements (what is still due for onboarding).",
            Get, "/v1/accounts/{account}", Read,
            [Id("account", "acct_", "The id of the connected account (acct_…).", required: true)]),
        new("list_connected_accounts", "accounts.read", "List connected accounts",
            "List the platform's connected accounts.",
            Get, "/v1/accounts", Read,
            [.. Paging]),
        new("create_account_link", "accountLinks.create", "Create account link",
            "Create a single-use onboarding (or update) link for a connected account: send its `url` to the account holder. It expires within minutes; if it does, create a new one.",
            Post, "/v1/account_links", Hints.None,
            [
                Id("account", "acct_", "The connected account (acct_…) to onboard.", required: true),
                new StringParam("type", "account_onboarding (first time) or account_update (change details).", Required: true, Enum: ["account_onboarding", "account_update"]),
                new StringParam("refresh_url", "Where to send the user if the link expired or was already used; create a new link there.", MaxLength: 5000),
                new StringParam("return_url", "Where to send the user when they finish (or leave) the flow.", MaxLength: 5000),
            ]),
    ];
}
