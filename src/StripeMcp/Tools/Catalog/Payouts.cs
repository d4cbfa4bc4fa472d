using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Payouts
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_payouts", "payouts.read", "List payouts",
            "List payouts from the Stripe balance to the bank account: amount, arrival_date, status (paid, pending, in_transit, canceled, failed).",
            Get, "/v1/payouts", Read,
            [
                new StringParam("status", "Only payouts in this status.", Enum: ["pending", "paid", "failed", "canceled", "in_transit"]),
                .. Paging,
            ]),
    ];
}
