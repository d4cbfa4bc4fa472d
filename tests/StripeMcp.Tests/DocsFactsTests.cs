using System.Text.RegularExpressions;
using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>What the documentation states as numbers and links is what the code and the build have.</summary>
public sealed partial class DocsFactsTests
{
    /// <summary>Every "N …" phrase of this kind, on every page (a phrase may wrap across lines).</summary>
    private static List<(string Page, int N)> Stated(Regex phrase) =>
        DocPages.All.SelectMany(page => phrase.Matches(DocPages.Read(page)).Select(m => (page, int.Parse(m.Groups[1].Value)))).ToList();

    private static void AssertEvery(Regex phrase, int actual, int atLeast)
    {
        var stated = Stated(phrase);
        Assert.True(stated.Count >= atLeast, $"\"{phrase}\" is stated {stated.Count} time(s); expected at least {atLeast}");
        Assert.All(stated, s => Assert.True(s.N == actual, $"{s.Page} says {s.N} where \"{phrase}\" is {actual}"));
    }

    /// <summary>"N of M tools enabled.", the last line of `stripe-mcp tools`.</summary>
    private static async Task<(int Enabled, int Of)> ToolsLine(params string[] args)
    {
        var run = await Commands.RunAsync(["tools", .. args]);
        Assert.Equal(0, run.ExitCode);
        var m = EnabledLine().Match(run.Stdout);
        Assert.True(m.Success, run.Stdout);
        return (int.Parse(m.Groups[1].Value), int.Parse(m.Groups[2].Value));
    }

    [Fact]
    public async Task Tool_counts_in_the_docs_are_the_catalogs_and_what_the_server_publishes()
    {
        AssertEvery(TypedTools(), ToolCatalog.All.Count, atLeast: 2);
        AssertEvery(SurfaceTools(), Inventory.Surface.Count, atLeast: 1);
        var all = await ToolsLine("--all");
        Assert.Equal(ToolCatalog.All.Count + Inventory.Surface.Count, all.Of);
        AssertEvery(ToolsInAll(), all.Of, atLeast: 1);
        AssertEvery(SandboxPublishes(), (await ToolsLine("--sandbox")).Enabled, atLeast: 1);
        AssertEvery(HttpPublishes(), (await ToolsLine("--tools", "all", "--api-key", TestServer.TestKey, "--http")).Enabled, atLeast: 1);
    }

    /// <summary>
    /// The package sizes the docs give. Wherever a pack is at hand (CI packs into .ci/out/nupkg before it tests the
    /// installed tool; README's route packs into nupkg/), the stated size is within 15% of the package's.
    /// </summary>
    [Fact]
    public void Package_sizes_in_the_docs_are_the_packages()
    {
        foreach (var (phrase, rid) in new[] { (LinuxPackage(), "linux-x64"), (PortablePackage(), "any") })
        {
            var stated = Stated(phrase);
            Assert.True(stated.Count >= 1, $"no page says how large the {rid} package is (\"{phrase}\")");
            var package = new[] { ".ci/out/nupkg", "nupkg" }.Select(TestFiles.Repo).Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFiles(d, $"StripeMcp.{rid}.*.nupkg")).Select(f => new FileInfo(f)).MaxBy(f => f.LastWriteTimeUtc);
            if (package is null) continue;
            var mb = package.Length / 1_000_000.0;
            Assert.All(stated, s => Assert.True(Math.Abs(s.N - mb) <= mb * 0.15, $"{s.Page} says about {s.N} MB; {package.Name} is {mb:F1} MB"));
        }
    }

    /// <summary>Every link between pages reaches a file, and a #fragment a heading of it.</summary>
    [Fact]
    public void Links_between_pages_resolve()
    {
        var broken = new List<string>();
        var checkedLinks = 0;
        foreach (var page in DocPages.All)
        {
            var text = FencedBlock().Replace(DocPages.Read(page), "");
            var dir = Path.GetDirectoryName(TestFiles.Repo(page))!;
            foreach (Match link in Link().Matches(text))
            {
                var target = link.Groups[1].Value;
                if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal)) continue;
                checkedLinks++;
                var hash = target.IndexOf('#');
                var (file, fragment) = hash < 0 ? (target, null) : (target[..hash], target[(hash + 1)..]);
                var path = file.Length == 0 ? TestFiles.Repo(page) : Path.GetFullPath(Path.Combine(dir, file));
                if (!File.Exists(path) && !Directory.Exists(path)) { broken.Add($"{page}: {target} (no such file)"); continue; }
                if (fragment is not null && !Headings(File.ReadAllText(path)).Contains(fragment)) broken.Add($"{page}: {target} (no such heading)");
            }
        }
        Assert.True(checkedLinks > 40, $"only {checkedLinks} links found");
        Assert.True(broken.Count == 0, string.Join("\n", broken));
    }

    /// <summary>README is the front page: short, and it leads to every page under docs/.</summary>
    [Fact]
    public void The_readme_is_a_front_page_that_links_every_page()
    {
        var readme = DocPages.Read("README.md");
        Assert.InRange(readme.Split('\n').Length, 100, 300);
        foreach (var page in DocPages.All.Where(p => p.StartsWith("docs/", StringComparison.Ordinal)))
            Assert.True(readme.Contains($"]({page})", StringComparison.Ordinal), $"README does not link {page}");
        Assert.Contains("\ndotnet test\n", readme); // the test command .ci/run runs
    }

    /// <summary>GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Headings(string markdown) =>
        Heading().Matches(FencedBlock().Replace(markdown.ReplaceLineEndings("\n"), ""))
            .Select(m => Regex.Replace(m.Groups[1].Value.Trim().ToLowerInvariant(), @"[^\p{L}\p{Nd} _-]", "").Replace(' ', '-'))
            .ToHashSet();

    [GeneratedRegex(@"(\d+)\s+typed\s+tools")]
    private static partial Regex TypedTools();

    [GeneratedRegex(@"(\d+)\s+surface\s+tools")]
    private static partial Regex SurfaceTools();

    [GeneratedRegex(@"(\d+)\s+tools\s+in\s+all")]
    private static partial Regex ToolsInAll();

    [GeneratedRegex(@"`--sandbox`\s+publishes\s+(\d+)")]
    private static partial Regex SandboxPublishes();

    [GeneratedRegex(@"HTTP\s+server\s+with\s+a\s+test\s+key\s+publishes\s+(\d+)")]
    private static partial Regex HttpPublishes();

    [GeneratedRegex(@"linux-x64\s+package\s+is\s+about\s+(\d+)\s+MB")]
    private static partial Regex LinuxPackage();

    [GeneratedRegex(@"portable\s+package\s+is\s+about\s+(\d+)\s+MB")]
    private static partial Regex PortablePackage();

    [GeneratedRegex(@"(\d+) of (\d+) tools enabled")]
    private static partial Regex EnabledLine();

    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^#{1,6} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*```.*?^\s*```\s*$", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
