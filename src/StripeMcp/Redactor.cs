using System.Text.RegularExpressions;

namespace StripeMcp;

/// <summary>
/// Masks Stripe secrets (secret keys, restricted keys, webhook secrets) in any text that leaves the
/// process: log lines, tool results, error messages. Only the prefix survives: "sk_test_…".
/// </summary>
public static partial class Redactor
{
    public static string Redact(string text) =>
        text.Contains("sk_", StringComparison.Ordinal) || text.Contains("rk_", StringComparison.Ordinal) || text.Contains("whsec_", StringComparison.Ordinal)
            ? SecretRegex().Replace(text, m => m.Groups[1].Value + "…")
            : text;

    // Stripe masks keys in its own messages as sk_test_*****1234; those are redacted too.
    [GeneratedRegex(@"\b(?>((?:sk|rk)_(?:test_|live_)?|whsec_))[A-Za-z0-9*]+")]
    private static partial Regex SecretRegex();
}
