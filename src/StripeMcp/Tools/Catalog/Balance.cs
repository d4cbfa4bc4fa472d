using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Balance
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("retrieve_balance", "balance.read", "Retrieve balance",
            "Retrieve the Stripe account's current balance: funds available for payout and funds still pending, per currency, in the currency's smallest unit. Use it to answer \"how much money do we have\" questions.",
            Get, "/v1/balance", Read, []),
        new("list_balance_transactions", "balance.read", "List balance transactions",
            "List the movements of the account's balance: charges (amount, Stripe fee, net), refunds, transfers, payouts, dispute withdrawals. Amounts are in the currency's smallest unit; negative amounts leave the balance.",
            Get, "/v1/balance_transactions", Read,
            [
                new StringParam("type", "Only transactions of this type, e.g. charge, refund, transfer, payout, adjustment, payment.", MaxLength: 50),
                Id("source", "", "Only transactions caused by this object (a charge ch_…, refund re_…, transfer tr_…, payout po_…)."),
                Currency(extra: "Only transactions in this currency."),
                Id("payout", "po_", "Only transactions paid out in this automatic payout (po_…)."),
                .. Paging,
            ]),
    ];
}
