using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Transfers
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_transfer", "transfers.create", "Create transfer",
            "Move funds from the platform's available balance to a connected account (amount in the currency's smallest unit). Fails with balance_insufficient if the platform lacks available funds, unless source_transaction ties it to a charge. Returns the whole transfer (tr_…).",
            Post, "/v1/transfers", Hints.None,
            [
                Amount("amount", "How much to transfer", required: true, minimum: 1),
                Currency(required: true),
                Id("destination", "acct_", "The connected account (acct_…) receiving the funds.", required: true),
                Description("What the transfer is for."),
                new StringParam("transfer_group", "A label grouping this transfer with related charges (e.g. an order id).", MaxLength: 200),
                Id("source_transaction", "ch_", "A charge (ch_…) to fund this transfer from, even before its funds are available."),
                Metadata,
            ])
        {
            Money = MoneyOf.Fields("amount"),
        },
        new("list_transfers", "transfers.read", "List transfers",
            "List transfers to connected accounts, optionally to one destination or in one transfer group.",
            Get, "/v1/transfers", Read,
            [
                Id("destination", "acct_", "Only transfers to this connected account (acct_…)."),
                new StringParam("transfer_group", "Only transfers in this group.", MaxLength: 200),
                .. Paging,
            ]),
    ];
}
