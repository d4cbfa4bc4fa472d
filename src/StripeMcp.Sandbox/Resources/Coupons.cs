using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Coupons: percent or amount off, once, repeating or forever.</summary>
internal static partial class Core
{
    private static void RegisterCoupons(Router r)
    {
        r.Post("/v1/coupons", CreateCoupon)
         .Get("/v1/coupons/{id}", c => c.Get("coupon", c.Id))
         .Delete("/v1/coupons/{id}", c =>
         {
             c.Get("coupon", c.Id);
             c.State.Remove(c.Account, "coupon", c.Id);
             return new JsonObject { ["id"] = c.Id, ["object"] = "coupon", ["deleted"] = true };
         })
         .Get("/v1/coupons", c => { c.P.Allow(Lists.PagingParams); return Lists.Page(c, c.All("coupon")); });
    }

    private static JsonObject CreateCoupon(Call c)
    {
        var p = c.P;
        p.Allow("id", "name", "percent_off", "amount_off", "currency", "duration", "duration_in_months", "max_redemptions", "redeem_by", "metadata", "applies_to");
        var percent = p.Dec("percent_off");
        var amountOff = p.Int("amount_off");
        if (percent is null == amountOff is null)
            throw StripeError.Invalid("You must pass exactly one of percent_off or amount_off.", percent is null ? "percent_off" : "amount_off");
        if (percent is not null && (percent <= 0 || percent > 100)) throw StripeError.Invalid("Invalid percent_off: must be greater than 0 and at most 100.", "percent_off");
        string? currency = null;
        if (amountOff is not null)
        {
            if (amountOff <= 0) throw StripeError.Invalid("Invalid amount_off: must be greater than 0.", "amount_off");
            currency = Currency(p);
        }
        var duration = p.Enum("duration", "once", "repeating", "forever") ?? "once";
        var months = p.Int("duration_in_months");
        if (duration == "repeating" && months is null) throw StripeError.ParamMissing("duration_in_months");
        if (duration != "repeating" && months is not null) throw StripeError.Invalid("duration_in_months can only be set when duration is repeating.", "duration_in_months");
        var id = p.Str("id") ?? c.State.NewId("", 8)[1..];
        if (c.Find("coupon", id) is not null) throw StripeError.Invalid("Coupon already exists.", "id", "resource_already_exists");
        return c.Create("coupon", new JsonObject
        {
            ["id"] = id,
            ["object"] = "coupon",
            ["amount_off"] = amountOff,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["duration"] = duration,
            ["duration_in_months"] = months,
            ["livemode"] = false,
            ["max_redemptions"] = p.Int("max_redemptions"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["name"] = p.Str("name"),
            ["percent_off"] = percent is null ? null : (double)percent,
            ["redeem_by"] = p.Int("redeem_by"),
            ["times_redeemed"] = 0,
            ["valid"] = true,
        });
    }
}
