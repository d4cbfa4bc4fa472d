using System.Text.RegularExpressions;

namespace StripeMcp;

/// <summary>
/// Masks Stripe secrets (secret keys, restricted keys, webhook secrets) in any text that leaves the
/// process: log lines, tool results, error messages. Only the prefix survives: "sk_test_…".
/// </summary>
internal static partial class Redactor
{
    public static string Redact(string text) =>
        text.Contains("sk_", StringComparison.Ordinal) || text.Contains("rk_", StringComparison.Ordinal) || text.Contains("whsec_", StringComparison.Ordinal)
            ? SecretRegex().Replace(text, m => m.Groups[1].Value + "…")
            : text;

    /// <summary>"sk_test", "rk_live" … — the part of a key that is safe to show.</summary>
    public static string KeyPrefix(string? key) => key is null ? "none" : string.Join('_', key.Split('_').Take(2));

    // A key starts where no letter or digit is before it ("req_sk_test_…" glued to a word by '_' too); a
    // mode-qualified key with 10 or more characters is one wherever it stands; whsec_ always. Stripe masks
    // keys in its own messages as sk_test_*****1234; those are redacted too.
    [GeneratedRegex(@"(?>((?<![A-Za-z0-9])(?:sk|rk)_(?:test_|live_)?|(?:sk|rk)_(?:test|live)_(?=[A-Za-z0-9]{10})|whsec_))[A-Za-z0-9*]+")]
    private static partial Regex SecretRegex();
}
