using System.Text.RegularExpressions;

namespace StripeMcp.Api;

/// <summary>
/// Ranks operations by the words of a question: a word in the operation's path or id counts most, in its
/// permission next, in its summary least; words are compared without case and plural endings.
/// </summary>
internal static partial class ApiSearch
{
    public static IEnumerable<ApiOperation> Rank(IEnumerable<ApiOperation> operations, string query)
    {
        var words = Words(query).Where(w => !Stop.Contains(w)).Distinct().ToList();
        if (words.Count == 0) return [];
        return operations
            .Select(o => (Op: o, Score: Score(o, words)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score)
            .ThenBy(x => x.Op.Path.Length)
            .ThenBy(x => x.Op.Id, StringComparer.Ordinal)
            .Select(x => x.Op);
    }

    private static double Score(ApiOperation o, List<string> words)
    {
        var path = Words(o.Path.Replace('_', ' ') + " " + o.ServiceMethod.Name).ToHashSet();
        var permission = Words(o.Permission).ToHashSet();
        var summary = Words(o.Summary ?? "").ToHashSet();
        var verb = Verb(o);
        double score = 0;
        foreach (var w in words)
        {
            if (path.Contains(w)) score += 3;
            else if (permission.Contains(w)) score += 2;
            else if (summary.Contains(w)) score += 1;
            if (w == verb) score += 2;
        }
        // Every word found beats most words found.
        return score + (words.All(w => path.Contains(w) || permission.Contains(w) || summary.Contains(w)) ? 5 : 0);
    }

    /// <summary>What a question's verb would be for this operation: list/get for GET, create, update, delete, or the path's own verb.</summary>
    private static string Verb(ApiOperation o) => o.Method == HttpMethod.Get
        ? (o.Path.EndsWith('}') ? "retrieve" : "list")
        : o.Method == HttpMethod.Delete ? "delete" : Stem(o.ServiceMethod.Name.ToLowerInvariant());

    private static readonly HashSet<string> Stop = ["a", "an", "the", "of", "to", "for", "on", "in", "and", "or", "with", "my", "me", "i", "how", "do", "can", "is"];

    internal static IEnumerable<string> Words(string text) =>
        WordRegex().Matches(CamelRegex().Replace(text, "$1 $2")).Select(m => Stem(m.Value.ToLowerInvariant()));

    private static string Stem(string w) =>
        w switch
        {
            "get" or "fetch" or "show" or "read" => "retrieve",
            "make" or "add" or "new" => "create",
            "change" or "edit" or "modify" => "update",
            "remove" => "delete",
            _ => w.EndsWith("ies", StringComparison.Ordinal) ? w[..^3] + "y" : w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) ? w[..^1] : w,
        };

    public static string? FirstSentence(string? text)
    {
        if (text is null) return null;
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        var first = end > 0 ? text[..(end + 1)] : text;
        return first.Length > 200 ? first[..200] + "…" : first;
    }

    [GeneratedRegex(@"[A-Za-z0-9]+")]
    private static partial Regex WordRegex();

    [GeneratedRegex(@"([a-z0-9])([A-Z])")]
    private static partial Regex CamelRegex();
}
