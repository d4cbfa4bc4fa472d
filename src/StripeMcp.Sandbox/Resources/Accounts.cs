using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>The account (GET /v1/account: the platform, or the connected account a call acts for) and connected accounts.</summary>
internal static partial class Connect
{
    private static void RegisterAccounts(Router r)
    {
        r.Get("/v1/account", c => c.Account == SandboxState.Platform ? Platform(c) : c.State.Get(SandboxState.Platform, "account", c.Account));

        r.Post("/v1/accounts", CreateAccount)
         .Get("/v1/accounts/{id}", c => OnPlatform(c).State.Get(SandboxState.Platform, "account", c.Id))
         .Get("/v1/accounts", c =>
         {
             c.P.Allow(Lists.PagingParams);
             return Lists.Page(OnPlatform(c), c.State.List(SandboxState.Platform, "account"));
         });
    }

    private static JsonObject CreateAccount(Call c)
    {
        var p = OnPlatform(c).P;
        p.Allow("type", "country", "email", "business_type", "capabilities", "business_profile", "metadata", "controller", "default_currency", "tos_acceptance", "individual", "company");
        var type = p.Enum("type", "express", "standard", "custom");
        var controller = p.Obj("controller");
        if (type is null && controller is null) type = "standard";
        var requested = p.Obj("capabilities")?.Node.Where(kv => kv.Value?["requested"]?.GetValue<string>() == "true").Select(kv => kv.Key).ToList() ?? [];
        if (type is "express" or "custom" && requested.Count == 0)
            throw StripeError.Invalid("You must request capabilities (e.g. capabilities[transfers][requested]=true) for express and custom accounts.", "capabilities");
        var capabilities = new JsonObject();
        foreach (var cap in requested) capabilities[cap] = "active";
        var profile = p.Obj("business_profile");
        var id = c.State.NewId("acct", 16);
        var due = new JsonArray("external_account", "tos_acceptance.date", "tos_acceptance.ip");
        var account = new JsonObject
        {
            ["id"] = id,
            ["object"] = "account",
            ["business_profile"] = new JsonObject
            {
                ["annual_revenue"] = null, ["estimated_worker_count"] = null, ["mcc"] = profile?.Str("mcc"), ["name"] = profile?.Str("name"),
                ["product_description"] = profile?.Str("product_description"), ["support_address"] = null, ["support_email"] = null,
                ["support_phone"] = null, ["support_url"] = null, ["url"] = profile?.Str("url"),
            },
            ["business_type"] = p.Enum("business_type", "individual", "company", "non_profit", "government_entity"),
            ["capabilities"] = capabilities,
            ["charges_enabled"] = requested.Contains("card_payments"),
            ["country"] = (p.Str("country") ?? "US").ToUpperInvariant(),
            ["created"] = c.Now,
            ["default_currency"] = p.Str("default_currency") ?? "usd",
            ["details_submitted"] = false,
            ["email"] = p.Str("email"),
            ["external_accounts"] = Lists.Embedded([], $"/v1/accounts/{id}/external_accounts"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["payouts_enabled"] = false,
            ["requirements"] = new JsonObject
            {
                ["alternatives"] = new JsonArray(), ["current_deadline"] = null, ["currently_due"] = due.DeepClone(),
                ["disabled_reason"] = "requirements.past_due", ["errors"] = new JsonArray(), ["eventually_due"] = due.DeepClone(),
                ["past_due"] = due.DeepClone(), ["pending_verification"] = new JsonArray(),
            },
            ["tos_acceptance"] = new JsonObject { ["date"] = null, ["ip"] = null, ["user_agent"] = null },
            ["type"] = type ?? "none",
        };
        c.State.Add(SandboxState.Platform, "account", account);
        c.Emit("account.updated", account);
        return account;
    }

    private static JsonObject Platform(Call c) => new()
    {
        ["id"] = c.State.PlatformAccount,
        ["object"] = "account",
        ["business_profile"] = new JsonObject
        {
            ["annual_revenue"] = null, ["estimated_worker_count"] = null, ["mcc"] = "5734", ["name"] = "StripeMcp Sandbox",
            ["product_description"] = "A local stand-in for Stripe, for agents and tests.", ["support_address"] = null,
            ["support_email"] = "support@example.com", ["support_phone"] = null, ["support_url"] = null, ["url"] = "https://example.com",
        },
        ["business_type"] = "company",
        ["capabilities"] = new JsonObject { ["card_payments"] = "active", ["transfers"] = "active" },
        ["charges_enabled"] = true,
        ["country"] = "US",
        ["created"] = 1_700_000_000,
        ["default_currency"] = "usd",
        ["details_submitted"] = true,
        ["email"] = "owner@example.com",
        ["metadata"] = new JsonObject(),
        ["payouts_enabled"] = true,
        ["type"] = "standard",
    };
}
