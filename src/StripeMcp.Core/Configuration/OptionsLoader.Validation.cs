using System.Text.RegularExpressions;

namespace StripeMcp.Configuration;

// Checks of values wherever they come from (flag, environment, config file): keys, account ids, the API base, webhook secrets, http settings; and the "did you mean" hint.
internal static partial class OptionsLoader
{
    private static void ValidateHttp(HttpSettings http, string? account, IReadOnlySet<string>? accounts, List<string> problems)
    {
        if (!HttpSettings.IsLoopback(http.Host) && http.Tokens.Count == 0 && http.OAuth is null)
            problems.Add($"--host {http.Host}: serving beyond loopback needs at least one bearer token ({EnvVars.HttpTokens}, or SHA-256 hashes in http.tokens of the config file) or OAuth (http.oauth); refusing to expose a Stripe key without one");
        foreach (var dup in http.Tokens.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            problems.Add($"http.tokens: the name \"{dup.Key}\" is used {dup.Count()} times; token names must be unique");
        foreach (var t in http.Tokens.Where(t => t.Account is not null))
        {
            if (account is not null && t.Account != account)
                problems.Add($"http.tokens[{t.Name}].account: {t.Account} would widen the server's fixed account {account}; a token can only narrow the server's policy");
            else if (accounts is not null && !accounts.Contains("*") && !accounts.Contains(t.Account!) && t.Account != account)
                problems.Add($"http.tokens[{t.Name}].account: {t.Account} is not in context.accounts; a token can only narrow the server's policy");
        }
    }

    public static bool IsWebhookSecret(string s) => s.StartsWith("whsec_", StringComparison.Ordinal) && s.Length >= 22 && s[6..].All(char.IsAsciiLetterOrDigit);

    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Suggest.Closest(typed, candidates) is { } s ? $" (did you mean \"{s}\"?)" : "";

    public static void ValidateKey(string key, string where, List<string> problems)
    {
        if (KeyRegex().IsMatch(key)) return;
        var hint = key.StartsWith("pk_", StringComparison.Ordinal) ? " (a publishable key, pk_…, cannot call these APIs)"
            : key.StartsWith("whsec_", StringComparison.Ordinal) ? " (whsec_… is a webhook signing secret, not an API key)"
            : "";
        // Never echo the value: it may be a real secret with a typo.
        problems.Add($"{where}: not a Stripe secret or restricted key{hint}; expected sk_test_…, rk_test_…, sk_live_… or rk_live_… (a restricted rk_ key is recommended)");
    }

    public static bool IsAccountId(string s) => AccountRegex().IsMatch(s);

    public static void ValidateAccount(string account, string where, List<string> problems)
    {
        if (!IsAccountId(account))
            problems.Add($"{where}: \"{Redactor.Redact(account)}\" is not a Stripe account id; expected acct_ followed by letters and digits, e.g. acct_1Nv0FGQ9RKHgCVdK");
    }

    private static void ValidateApiBase(string value, string where, List<string> problems)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            problems.Add($"{where}: \"{LogText.Safe(value, 120)}\" is not an http(s) base URL like https://api.stripe.com or http://127.0.0.1:12111");
        // The base is shown (start-up line, /readyz, network errors): credentials in it would be shown with it.
        else if (uri.UserInfo.Length > 0)
            problems.Add($"{where}: must not carry credentials (user:password@): the API base is shown in logs, /readyz and errors; put a proxy's credentials in the proxy's own configuration");
    }

    [GeneratedRegex("^(sk|rk)_(test|live)_[A-Za-z0-9]+$")]
    private static partial Regex KeyRegex();

    [GeneratedRegex("^acct_[A-Za-z0-9]+$")]
    private static partial Regex AccountRegex();
}
