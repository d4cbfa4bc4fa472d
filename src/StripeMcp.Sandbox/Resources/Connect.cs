namespace StripeMcp.Sandbox.Resources;

/// <summary>Connect, the balance and events: registers the routes of the account and connected accounts, account links, transfers, payouts, the balance, balance transactions and events (one file each) and holds what they share.</summary>
internal static partial class Connect
{
    public const string PlatformId = "acct_1SandboxPlatform0";

    public static void Register(Router r)
    {
        RegisterAccounts(r);
        RegisterAccountLinks(r);
        RegisterTransfers(r);
        RegisterPayouts(r);
        RegisterBalance(r);
        RegisterBalanceTransactions(r);
        RegisterEvents(r);
    }

    private static Call OnPlatform(Call c) => c.Account == SandboxState.Platform ? c
        : throw new StripeError(403, "invalid_request_error", "Only the platform can manage connected accounts; this request was made with a Stripe-Account header.", "platform_api_key_expired");
}
