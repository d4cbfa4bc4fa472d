using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Balance
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("retrieve_balance", "balance.read", "Retrieve balance",
            "Retrieve the Stripe account's current balance: funds available for payout and funds still pending, per currency, in the currency's smallest unit. Use it to answer \"how much money do we have\" questions.",
            Get, "/v1/balance", Read, []),
    ];
}
