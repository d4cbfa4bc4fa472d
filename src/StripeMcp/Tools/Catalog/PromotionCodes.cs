using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PromotionCodes
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_promotion_code", "promotionCodes.create", "Create promotion code",
            "Create a customer-facing code (e.g. \"LAUNCH25\") that redeems a coupon at checkout. Create the coupon first with create_coupon. Returns the whole promotion code object (promo_…).",
            Post, "/v1/promotion_codes", Hints.None,
            [
                new ObjectParam("promotion", "What the code redeems.",
                [
                    new StringParam("type", "Always \"coupon\".", Required: true, Enum: ["coupon"]),
                    Id("coupon", "", "The id of the coupon the code applies.", required: true),
                ], Required: true),
                new StringParam("code", "The code customers type, case-insensitive (letters, digits, dashes). Stripe generates one if left out.", MaxLength: 500),
                Id("customer", "cus_", "Only this customer (cus_…) can redeem the code."),
                new IntParam("max_redemptions", "How many times the code can be redeemed in total.", Minimum: 1),
                new IntParam("expires_at", "When the code stops working, as a Unix timestamp in seconds.", Minimum: 0),
                new BoolParam("active", "Whether the code can be redeemed now. Defaults to true."),
                Metadata,
            ]),
        new("list_promotion_codes", "promotionCodes.read", "List promotion codes",
            "List promotion codes, optionally by code, coupon, customer or active flag.",
            Get, "/v1/promotion_codes", Read,
            [
                new StringParam("code", "Only the promotion code with exactly this code.", MaxLength: 500),
                Id("coupon", "", "Only codes for this coupon."),
                Id("customer", "cus_", "Only codes restricted to this customer (cus_…)."),
                new BoolParam("active", "true: only codes that can be redeemed; false: only inactive ones."),
                .. Paging,
            ]),
    ];
}
