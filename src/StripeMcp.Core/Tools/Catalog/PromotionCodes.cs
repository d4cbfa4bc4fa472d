using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class PromotionCodes
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_promotion_code", "promotionCodes.create", "Create promotion code",
            "Create a code customers type (e.g. LAUNCH25) to redeem a coupon at checkout. Create the coupon first (create_coupon).",
            Post, "/v1/promotion_codes", Hints.Write,
            [
                new ObjectParam("promotion", "What the code redeems.",
                [
                    new StringParam("type", "Always coupon.", Required: true, Enum: ["coupon"]),
                    Id("coupon", "", "The coupon's id.", required: true),
                ], Required: true),
                new StringParam("code", "Case-insensitive letters, digits, dashes; else Stripe makes one.", MaxLength: 500),
                Id("customer", "cus_", "Only this customer may redeem it."),
                new IntParam("max_redemptions", "Total redemptions allowed.", Minimum: 1),
                new IntParam("expires_at", "Stops working then (Unix seconds).", Minimum: 0),
                new BoolParam("active", "Redeemable now (default true)."),
                Metadata,
            ]),
        new("list_promotion_codes", "promotionCodes.read", "List promotion codes",
            "List promotion codes, optionally by code, coupon, customer or active flag.",
            Get, "/v1/promotion_codes", Read,
            [
                new StringParam("code", "Exactly this code.", MaxLength: 500),
                Id("coupon", "", "A coupon's id."),
                Id("customer", "cus_", "Only codes restricted to this customer."),
                new BoolParam("active", "true: only redeemable; false: only inactive."),
                .. Paging,
            ]),
    ];
}
