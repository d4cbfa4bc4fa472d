using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Transfers
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_transfer", "transfers.create", "Create transfer",
            "Move funds from the platform's available balance to a connected account. Fails with balance_insufficient when funds are short, unless source_transaction ties it to a charge.",
            Post, "/v1/transfers", Hints.Write,
            [
                Amount("amount", "How much to transfer", required: true, minimum: 1),
                Currency(required: true),
                Id("destination", "acct_", required: true),
                Description("What it is for."),
                new StringParam("transfer_group", "Groups it with related charges, e.g. an order id.", MaxLength: 200),
                Id("source_transaction", "ch_", "Fund it from this charge, even before its funds are available."),
                Metadata,
            ]),
        new("list_transfers", "transfers.read", "List transfers",
            "List transfers to connected accounts, optionally by destination or transfer group.",
            Get, "/v1/transfers", Read,
            [
                Id("destination", "acct_"),
                new StringParam("transfer_group", "Only this group.", MaxLength: 200),
                .. Paging,
            ]),
    ];
}
