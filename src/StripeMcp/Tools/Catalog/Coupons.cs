using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Coupons
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_coupon", "coupons.create", "Create coupon",
            "Create a coupon: a discount of either percent_off or amount_off (with its currency), applied once, for several months (repeating) or forever. Customers redeem it through a promotion code, or you apply it to a subscription or invoice. Returns the whole coupon object.",
            Post, "/v1/coupons", Hints.None,
            [
                new StringParam("name", "The coupon's name, shown to customers on invoices and receipts.", MaxLength: 40),
                new NumberParam("percent_off", "Percentage taken off, from 0.01 to 100 (e.g. 25 for 25% off). Give this or amount_off.", Minimum: 0.01, Maximum: 100),
                Amount("amount_off", "Fixed amount taken off (give currency too). Give this or percent_off", minimum: 1),
                Currency(extra: "Required with amount_off."),
                new StringParam("duration", "How long the discount applies: once, repeating (for duration_in_months), or forever. Defaults to once.", Enum: ["once", "repeating", "forever"]),
                new IntParam("duration_in_months", "With duration \"repeating\": how many months the discount applies.", Minimum: 1, Maximum: 1200),
                new IntParam("max_redemptions", "How many times the coupon can be redeemed in total, across all customers.", Minimum: 1),
                Id("id", "", "Your own id for the coupon (e.g. \"SUMMER25\"); Stripe generates one if left out."),
                Metadata,
            ])
        {
            Check = a => Rules.ExactlyOne(a, "percent_off", "amount_off")
                .Concat(Rules.Requires(a, "amount_off", "currency"))
                .Concat(Rules.Requires(a, "duration_in_months", "duration", " (set it to \"repeating\")"))
                .Concat(a.Has("duration") && a["duration"].GetString() == "repeating" && !a.Has("duration_in_months")
                    ? ["duration_in_months: is required when duration is \"repeating\""] : []),
        },
        new("list_coupons", "coupons.read", "List coupons",
            "List coupons.",
            Get, "/v1/coupons", Read,
            [.. Paging]),
        new("delete_coupon", "coupons.delete", "Delete coupon",
            "Delete a coupon so it can no longer be redeemed. Customers who already have it keep their discount. This cannot be undone.",
            Delete, "/v1/coupons/{coupon}", Hints.Destructive | Hints.Idempotent,
            [Id("coupon", "", "The id of the coupon (e.g. \"SUMMER25\").", required: true)]),
    ];
}
