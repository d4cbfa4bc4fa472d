using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment links: create, update (deactivate, after completion), list.</summary>
internal static partial class Payments
{
    private static void RegisterPaymentLinks(Router r)
    {
        r.Post("/v1/payment_links", CreatePaymentLink)
         .Get("/v1/payment_links/{id}", c => c.Get("payment_link", c.Id))
         .Post("/v1/payment_links/{id}", c =>
         {
             var p = c.P;
             p.Allow("active", "metadata", "after_completion", "allow_promotion_codes", "inactive_message");
             var link = c.Get("payment_link", c.Id);
             if (p.Bool("active") is { } active) link["active"] = active;
             if (p.Bool("allow_promotion_codes") is { } promo) link["allow_promotion_codes"] = promo;
             if (p.Has("inactive_message")) link["inactive_message"] = p.IsEmpty("inactive_message") ? null : p.Str("inactive_message");
             if (p.Obj("after_completion") is { } ac) link["after_completion"] = AfterCompletion(ac);
             if (p.Metadata() is { } md) Core.Merge(link, md);
             c.Emit("payment_link.updated", link);
             return link;
         })
         .Get("/v1/payment_links", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active"]);
             return Lists.Page(c, c.All("payment_link").Where(c.P, "active"));
         });
    }

    private static JsonObject AfterCompletion(P ac)
    {
        ac.Allow("type", "redirect", "hosted_confirmation");
        var type = ac.Enum("type", "redirect", "hosted_confirmation") ?? throw StripeError.ParamMissing(ac.Name("type"));
        var result = new JsonObject { ["type"] = type };
        if (type == "redirect")
        {
            var redirect = ac.Obj("redirect") ?? throw StripeError.ParamMissing(ac.Name("redirect"));
            redirect.Allow("url");
            result["redirect"] = new JsonObject { ["url"] = redirect.Req("url") };
        }
        else result["hosted_confirmation"] = new JsonObject { ["custom_message"] = ac.Obj("hosted_confirmation")?.Str("custom_message") };
        return result;
    }

    private static JsonObject CreatePaymentLink(Call c)
    {
        var p = c.P;
        p.Allow("line_items", "after_completion", "allow_promotion_codes", "metadata", "currency", "customer_creation", "billing_address_collection",
            "payment_method_types", "subscription_data", "inactive_message", "submit_type", "phone_number_collection", "transfer_data", "on_behalf_of");
        var lines = LineItems(c, p, "line_items", required: true);
        var id = c.State.NewId("plink");
        return c.Create("payment_link", new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_link",
            ["active"] = true,
            ["after_completion"] = p.Obj("after_completion") is { } ac ? AfterCompletion(ac)
                : new JsonObject { ["hosted_confirmation"] = new JsonObject { ["custom_message"] = null }, ["type"] = "hosted_confirmation" },
            ["allow_promotion_codes"] = p.Bool("allow_promotion_codes") ?? false,
            ["application"] = null,
            ["application_fee_amount"] = null,
            ["application_fee_percent"] = null,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null },
            ["billing_address_collection"] = p.Enum("billing_address_collection", "auto", "required") ?? "auto",
            ["consent_collection"] = null,
            ["currency"] = lines[0].Price["currency"]!.DeepClone(),
            ["custom_fields"] = new JsonArray(),
            ["custom_text"] = new JsonObject { ["after_submit"] = null, ["shipping_address"] = null, ["submit"] = null, ["terms_of_service_acceptance"] = null },
            ["customer_creation"] = p.Enum("customer_creation", "always", "if_required") ?? "if_required",
            ["inactive_message"] = p.Str("inactive_message"),
            ["invoice_creation"] = null,
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["on_behalf_of"] = null,
            ["payment_intent_data"] = null,
            ["payment_method_collection"] = "always",
            ["payment_method_types"] = null,
            ["phone_number_collection"] = new JsonObject { ["enabled"] = false },
            ["restrictions"] = null,
            ["shipping_address_collection"] = null,
            ["shipping_options"] = new JsonArray(),
            ["submit_type"] = p.Enum("submit_type", "auto", "book", "donate", "pay", "subscribe") ?? "auto",
            ["subscription_data"] = null,
            ["tax_id_collection"] = new JsonObject { ["enabled"] = false, ["required"] = "never" },
            ["transfer_data"] = null,
            ["url"] = $"https://buy.stripe.com/test_{id[6..20]}",
        });
    }
}
