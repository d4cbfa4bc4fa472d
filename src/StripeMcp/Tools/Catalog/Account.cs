using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Account
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("get_account_info", "account.read", "Get account info",
            "Retrieve the Stripe account this server acts for (or the connected account it acts on behalf of): its id, business name, country, default currency, and whether charges and payouts are enabled. Use it first to learn which account you are working in. (Stripe's toolkit calls it get_stripe_account_info; that name works here too.)",
            Get, "/v1/account", Read, []) { Aliases = ["get_stripe_account_info"] },
    ];
}
