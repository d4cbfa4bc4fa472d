using System.Text.Json;

namespace StripeMcp.Tools.Catalog;

/// <summary>Cross-argument rules, phrased the way the error should read.</summary>
internal static class Rules
{
    public static bool Has(this IReadOnlyDictionary<string, JsonElement> a, string name) =>
        a.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static IEnumerable<string> ExactlyOne(IReadOnlyDictionary<string, JsonElement> a, params string[] names)
    {
        var given = names.Where(a.Has).ToList();
        if (given.Count != 1)
            yield return $"{string.Join(" / ", names)}: give exactly one of them, got {(given.Count == 0 ? "none" : string.Join(" and ", given))}";
    }

    public static IEnumerable<string> Requires(IReadOnlyDictionary<string, JsonElement> a, string name, string needed, string why = "")
    {
        if (a.Has(name) && !a.Has(needed)) yield return $"{needed}: is required when {name} is given{why}";
    }
}
