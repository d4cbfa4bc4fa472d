namespace StripeMcp.Tests.Support;

/// <summary>The documentation (README.md and the pages under docs/) as tests read it, and its generated sections.</summary>
public static class DocPages
{
    /// <summary>Set to 1 to have <see cref="AssertSection"/> write the generated text into the page instead of comparing.</summary>
    public const string UpdateVariable = "STRIPE_MCP_UPDATE_DOCS";

    /// <summary>A page by its path in the repository (README.md, docs/tools.md …), with \n line ends.</summary>
    public static string Read(string page) => File.ReadAllText(TestFiles.Repo(page)).ReplaceLineEndings("\n");

    /// <summary>README.md, then every page under docs/, by path.</summary>
    public static IReadOnlyList<string> All =>
        ["README.md", .. Directory.EnumerateFiles(TestFiles.Repo("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    /// <summary>The text between a begin marker (a whole line) and an end marker of a page.</summary>
    public static string Section(string page, string begin, string end)
    {
        var text = Read(page);
        var (start, stop) = Bounds(page, text, begin, end);
        return text[start..stop];
    }

    /// <summary>
    /// The generated section of <paramref name="page"/> between the markers is exactly <paramref name="expected"/>.
    /// With STRIPE_MCP_UPDATE_DOCS=1 the section is rewritten to it instead (review the diff before committing).
    /// </summary>
    public static void AssertSection(string page, string begin, string end, string expected)
    {
        expected = expected.ReplaceLineEndings("\n");
        var text = Read(page);
        var (start, stop) = Bounds(page, text, begin, end);
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(TestFiles.Repo(page), text[..start] + expected + text[stop..]);
            return;
        }
        Assert.True(expected == text[start..stop],
            $"{page}: the section after {begin.Trim()} is not what the code generates; run the test with {UpdateVariable}=1 to rewrite it, then review the diff.");
    }

    private static (int Start, int Stop) Bounds(string page, string text, string begin, string end)
    {
        var at = text.IndexOf(begin + "\n", StringComparison.Ordinal);
        Assert.True(at >= 0, $"{page} has no line {begin}");
        var start = at + begin.Length + 1;
        var stop = text.IndexOf(end, start, StringComparison.Ordinal);
        Assert.True(stop >= 0, $"{page} has no {end} after {begin}");
        return (start, stop);
    }
}
