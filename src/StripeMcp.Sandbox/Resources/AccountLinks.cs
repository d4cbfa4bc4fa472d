using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Account links: onboarding and update links for a connected account.</summary>
internal static partial class Connect
{
    private static void RegisterAccountLinks(Router r)
    {
        r.Post("/v1/account_links", c =>
        {
            var p = OnPlatform(c).P;
            p.Allow("account", "type", "refresh_url", "return_url", "collect", "collection_options");
            var account = c.State.Get(SandboxState.Platform, "account", p.Req("account"), "account")["id"]!.GetValue<string>();
            p.Enum("type", "account_onboarding", "account_update");
            if (p.Str("type") is null) throw StripeError.ParamMissing("type");
            return new JsonObject
            {
                ["object"] = "account_link",
                ["created"] = c.Now,
                ["expires_at"] = c.Now + 300,
                ["url"] = $"https://connect.stripe.com/setup/e/{account}/{c.State.NewId("x", 12)[2..]}",
            };
        });
    }
}
