namespace StripeMcp;

/// <summary>"Did you mean …?" for names an operator or an agent typed.</summary>
internal static class Suggest
{
    /// <summary>The candidate closest to <paramref name="typed"/>, if it is close enough to be a likely typo.</summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        // Names are short: a longer text is no typo of one, and comparing it would cost time quadratic in its length.
        if (typed.Length > MaxTyped) return null;
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var c in candidates)
        {
            var d = Distance(Normalize(typed), Normalize(c));
            if (d < bestDistance) (best, bestDistance) = (c, d);
        }
        // Allow about one edit per three characters, and at least two.
        return best is not null && bestDistance <= Math.Max(2, typed.Length / 3) ? best : null;
    }

    private const int MaxTyped = 100;

    // Case, '_' and '-' do not count: "payment_link" is one edit from "paymentLinks".
    private static string Normalize(string s) => s.Replace("_", "").Replace("-", "").ToLowerInvariant();

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) prev[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (prev, cur) = (cur, prev);
        }
        return prev[b.Length];
    }
}
