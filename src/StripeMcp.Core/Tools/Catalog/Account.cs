using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Account
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("get_account_info", "account.read", "Get account info",
            "Retrieve the Stripe account this server acts for (or the connected account it acts on behalf of): id, business name, country, default currency, whether charges and payouts are enabled. Call it first to learn which account you are in. Also answers to get_stripe_account_info.",
            Get, "/v1/account", Read, []) { Aliases = ["get_stripe_account_info"] },
    ];
}
