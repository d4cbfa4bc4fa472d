using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Checkout sessions: payment, subscription and setup modes; line items, expire, list.</summary>
internal static partial class Payments
{
    private static void RegisterCheckoutSessions(Router r)
    {
        r.Post("/v1/checkout/sessions", CreateCheckoutSession)
         .Get("/v1/checkout/sessions/{id}", c => c.Get("checkout.session", c.Id))
         .Get("/v1/checkout/sessions/{id}/line_items", c =>
         {
             c.P.Allow(Lists.PagingParams);
             c.Get("checkout.session", c.Id);
             // Line items keep the order they were given in.
             return Lists.Page(c, c.State.LineItems[c.Id].Select(n => n!.AsObject()));
         })
         .Post("/v1/checkout/sessions/{id}/expire", c =>
         {
             c.P.Allow();
             var s = c.Get("checkout.session", c.Id);
             if (s["status"]!.GetValue<string>() != "open")
                 throw StripeError.InvalidState($"Only Checkout Sessions with a status of `open` can be expired. This session has a status of `{s["status"]}`.");
             s["status"] = "expired";
             s["url"] = null;
             c.Emit("checkout.session.expired", s);
             return s;
         })
         .Get("/v1/checkout/sessions", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "status", "payment_intent", "payment_link", "subscription"]);
             return Lists.Page(c, c.All("checkout.session").Where(c.P, "customer", "status", "payment_intent", "payment_link", "subscription"));
         });
    }

    private static JsonObject CreateCheckoutSession(Call c)
    {
        var p = c.P;
        p.Allow("mode", "line_items", "success_url", "cancel_url", "customer", "customer_email", "client_reference_id", "metadata", "allow_promotion_codes",
            "expires_at", "currency", "allowed_payment_method_types", "excluded_payment_method_types", "custom_fields", "custom_text", "shipping_options", "subscription_data", "payment_intent_data", "ui_mode", "return_url", "discounts", "locale", "billing_address_collection");
        var mode = p.Enum("mode", "payment", "subscription", "setup") ?? throw StripeError.ParamMissing("mode");
        var lines = LineItems(c, p, "line_items", required: mode != "setup");
        var recurring = lines.Any(l => Lists.Text(l.Price["type"]) == "recurring");
        if (mode == "payment" && recurring)
            throw StripeError.Invalid("You specified `payment` mode but passed a recurring price. Either switch to `subscription` mode or use only one-time prices.", "line_items");
        if (mode == "subscription" && !recurring)
            throw StripeError.Invalid("You must provide at least one recurring price in `subscription` mode when using prices.", "line_items");
        var uiMode = p.Enum("ui_mode", "elements", "embedded_page", "form", "hosted_page") ?? "hosted_page";
        if (uiMode == "hosted_page" && p.Str("success_url") is null && mode != "setup")
            throw StripeError.ParamMissing("success_url");
        var customer = p.Str("customer");
        if (customer is not null) c.Get("customer", customer, "customer");
        var currency = lines.FirstOrDefault()?.Price["currency"]?.GetValue<string>() ?? (p.Has("currency") ? Core.Currency(p) : null);
        if (mode == "setup" && currency is null) throw StripeError.ParamMissing("currency");
        var subtotal = lines.Sum(Amount);
        var id = c.State.NewId("cs_test", 58);
        var session = new JsonObject
        {
            ["id"] = id,
            ["object"] = "checkout.session",
            ["after_expiration"] = null,
            ["allow_promotion_codes"] = p.Bool("allow_promotion_codes"),
            ["amount_subtotal"] = mode == "setup" ? null : subtotal,
            ["amount_total"] = mode == "setup" ? null : subtotal,
            ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null, ["status"] = null },
            ["billing_address_collection"] = p.Enum("billing_address_collection", "auto", "required"),
            ["cancel_url"] = p.Str("cancel_url"),
            ["client_reference_id"] = p.Str("client_reference_id"),
            ["client_secret"] = uiMode == "hosted_page" ? null : c.State.Secret(id),
            ["consent"] = null,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["customer"] = customer,
            ["custom_fields"] = new JsonArray(),
            ["customer_creation"] = customer is null && mode == "payment" ? "if_required" : null,
            ["customer_details"] = null,
            ["customer_email"] = p.Str("customer_email"),
            ["expires_at"] = p.Int("expires_at") ?? c.Now + 24 * 3600,
            ["invoice"] = null,
            ["livemode"] = false,
            ["locale"] = p.Str("locale"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["mode"] = mode,
            ["payment_intent"] = null,
            ["payment_link"] = null,
            ["payment_method_collection"] = "always",
            ["payment_method_types"] = new JsonArray("card"),
            ["payment_status"] = mode == "setup" ? "no_payment_required" : "unpaid",
            ["recovered_from"] = null,
            ["setup_intent"] = null,
            ["shipping_address_collection"] = null,
            ["shipping_cost"] = null,
            ["shipping_options"] = new JsonArray(),
            ["status"] = "open",
            ["submit_type"] = null,
            ["subscription"] = null,
            ["success_url"] = p.Str("success_url"),
            ["total_details"] = new JsonObject { ["amount_discount"] = 0, ["amount_shipping"] = 0, ["amount_tax"] = 0 },
            ["ui_mode"] = uiMode,
            ["url"] = uiMode == "hosted_page" ? $"https://checkout.stripe.com/c/pay/{id}" : null,
        };
        c.State.LineItems[id] = new JsonArray(lines.Select(l => (JsonNode)new JsonObject
        {
            ["id"] = c.State.NewId("li"),
            ["object"] = "item",
            ["amount_discount"] = 0,
            ["amount_subtotal"] = Amount(l),
            ["amount_tax"] = 0,
            ["amount_total"] = Amount(l),
            ["currency"] = l.Price["currency"]!.DeepClone(),
            ["description"] = c.Find("product", l.Price["product"]!.GetValue<string>())?["name"]?.DeepClone(),
            ["metadata"] = new JsonObject(),
            ["price"] = l.Price.DeepClone(),
            ["quantity"] = l.Quantity,
        }).ToArray());
        return c.Create("checkout.session", session);
    }
}
