using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Customer portal sessions.</summary>
internal static partial class Billing
{
    private static void RegisterBillingPortalSessions(Router r)
    {
        r.Post("/v1/billing_portal/sessions", c =>
        {
            var p = c.P;
            p.Allow("customer", "return_url", "configuration", "locale", "flow_data", "on_behalf_of");
            var customer = c.Get("customer", p.Req("customer"), "customer")["id"]!.GetValue<string>();
            var id = c.State.NewId("bps");
            return c.Create("billing_portal.session", new JsonObject
            {
                ["id"] = id,
                ["object"] = "billing_portal.session",
                ["configuration"] = p.Str("configuration") ?? "bpc_sandboxdefault",
                ["created"] = c.Now,
                ["customer"] = customer,
                ["flow"] = null,
                ["livemode"] = false,
                ["locale"] = p.Str("locale"),
                ["on_behalf_of"] = null,
                ["return_url"] = p.Str("return_url"),
                ["url"] = $"https://billing.stripe.com/p/session/test_{id[4..]}",
            });
        });
    }
}
