using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Balance
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("retrieve_balance", "balance.read", "Retrieve balance",
            "Retrieve the account's current balance: funds available for payout and funds still pending, per currency, in the smallest currency unit. Answers how much money there is.",
            Get, "/v1/balance", Read, []),
        new("list_balance_transactions", "balance.read", "List balance transactions",
            "List the movements of the account's balance: charges (amount, Stripe fee, net), refunds, transfers, payouts, dispute withdrawals. Negative amounts leave the balance.",
            Get, "/v1/balance_transactions", Read,
            [
                new StringParam("type", "E.g. charge, refund, transfer, payout, adjustment, payment.", MaxLength: 50),
                Id("source", "", "The id of the object that caused them: a charge, refund, transfer or payout."),
                Currency(),
                Id("payout", "po_", "Only those paid out in this automatic payout."),
                .. Paging,
            ]),
    ];
}
