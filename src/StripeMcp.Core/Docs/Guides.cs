
namespace StripeMcp.Docs;

/// <summary>Our short guides (src/StripeMcp.Core/Guides/*.md, embedded): stripe-mcp://guides/{topic}, for every caller.</summary>
internal static class Guides
{
    public const string UriPrefix = "stripe-mcp://guides/";

    public sealed record Guide(string Topic, string Title, string Text)
    {
        public string Uri => UriPrefix + Topic;
    }

    private static readonly Lazy<IReadOnlyList<Guide>> Loaded = new(() =>
    {
        var assembly = typeof(Guides).Assembly;
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("guides/", StringComparison.Ordinal) && n.EndsWith(".md", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var reader = new StreamReader(assembly.GetManifestResourceStream(n)!);
                var text = reader.ReadToEnd();
                var title = text.Split('\n', 2)[0].TrimStart('#', ' ').Trim();
                return new Guide(n["guides/".Length..^".md".Length], title, text);
            })];
    });

    public static IReadOnlyList<Guide> All => Loaded.Value;

    public static Guide? Find(string topic) => All.FirstOrDefault(g => g.Topic == topic);
}
