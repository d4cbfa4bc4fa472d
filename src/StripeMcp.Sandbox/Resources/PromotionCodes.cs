using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Promotion codes: customer-facing codes for a coupon.</summary>
internal static partial class Core
{
    private static void RegisterPromotionCodes(Router r)
    {
        r.Post("/v1/promotion_codes", CreatePromotionCode)
         .Get("/v1/promotion_codes/{id}", c => c.Get("promotion_code", c.Id))
         .Get("/v1/promotion_codes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active", "code", "coupon", "customer"]);
             var items = c.All("promotion_code").Where(c.P, "active", "code", "customer");
             if (c.P.Str("coupon") is { } coupon) items = items.Where(o => Lists.Text(o["promotion"]?["coupon"]) == coupon);
             return Lists.Page(c, items);
         });
    }

    private static JsonObject CreatePromotionCode(Call c)
    {
        var p = c.P;
        p.Allow("promotion", "code", "active", "customer", "expires_at", "max_redemptions", "metadata", "restrictions");
        var promotion = p.Obj("promotion") ?? throw StripeError.ParamMissing("promotion");
        promotion.Allow("type", "coupon");
        if (promotion.Enum("type", "coupon") is null) throw StripeError.ParamMissing("promotion[type]");
        var coupon = c.Get("coupon", promotion.Req("coupon"), "promotion[coupon]");
        var code = p.Str("code") ?? c.State.NewId("x", 8)[2..].ToUpperInvariant();
        if (c.All("promotion_code").Any(o => Lists.Text(o["active"]) == "true" && string.Equals(Lists.Text(o["code"]), code, StringComparison.OrdinalIgnoreCase)))
            throw StripeError.Invalid($"An active promotion code with `code: {code}` already exists.", "code");
        if (p.Str("customer") is { } cus) c.Get("customer", cus, "customer");
        return c.Create("promotion_code", new JsonObject
        {
            ["id"] = c.State.NewId("promo"),
            ["object"] = "promotion_code",
            ["active"] = p.Bool("active") ?? true,
            ["code"] = code,
            ["created"] = c.Now,
            ["customer"] = p.Str("customer"),
            ["expires_at"] = p.Int("expires_at"),
            ["livemode"] = false,
            ["max_redemptions"] = p.Int("max_redemptions"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["promotion"] = new JsonObject { ["coupon"] = coupon["id"]!.GetValue<string>(), ["type"] = "coupon" },
            ["restrictions"] = new JsonObject { ["first_time_transaction"] = false, ["minimum_amount"] = null, ["minimum_amount_currency"] = null },
            ["times_redeemed"] = 0,
        });
    }
}
