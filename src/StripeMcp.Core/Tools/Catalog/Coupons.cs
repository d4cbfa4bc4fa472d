using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Coupons
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_coupon", "coupons.create", "Create coupon",
            "Create a coupon: a discount of percent_off or amount_off (with currency), once, for some months (repeating) or forever. Customers redeem it through a promotion code, or you apply it to a subscription or invoice.",
            Post, "/v1/coupons", Hints.Write,
            [
                new StringParam("name", "Shown to customers on invoices and receipts.", MaxLength: 40),
                new NumberParam("percent_off", "25 = 25% off. Give this or amount_off.", Minimum: 0.01, Maximum: 100),
                Amount("amount_off", "Fixed amount off, with currency; or give percent_off", minimum: 1),
                Currency(extra: "Required with amount_off."),
                new StringParam("duration", "Default once; repeating needs duration_in_months.", Enum: ["once", "repeating", "forever"]),
                new IntParam("duration_in_months", "Months, with duration repeating.", Minimum: 1, Maximum: 1200),
                new IntParam("max_redemptions", "Total redemptions allowed, all customers together.", Minimum: 1),
                Id("id", "", "Your own coupon id, e.g. SUMMER25 (else Stripe makes one)."),
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
            "Delete a coupon so it can no longer be redeemed; customers who have it keep their discount. Cannot be undone.",
            Delete, "/v1/coupons/{coupon}", Hints.Destructive | Hints.Idempotent,
            [Id("coupon", "", "The coupon's id, e.g. SUMMER25.", required: true)]),
    ];
}
