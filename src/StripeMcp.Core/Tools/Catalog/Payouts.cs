using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Payouts
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_payouts", "payouts.read", "List payouts",
            "List payouts from the Stripe balance to the bank: amount, arrival_date, status.",
            Get, "/v1/payouts", Read,
            [
                new StringParam("status", "", Enum: ["pending", "paid", "failed", "canceled", "in_transit"]),
                .. Paging,
            ]),
    ];
}
