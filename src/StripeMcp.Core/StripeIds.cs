using System.Text.RegularExpressions;

namespace StripeMcp;

/// <summary>The shapes of Stripe ids this server checks itself (config, per-call accounts, answers it relies on).</summary>
internal static partial class StripeIds
{
    /// <summary>A connected account's id: acct_ and letters or digits.</summary>
    public static bool IsAccount(string s) => AccountRegex().IsMatch(s);

    [GeneratedRegex("^acct_[A-Za-z0-9]+$")]
    private static partial Regex AccountRegex();
}
