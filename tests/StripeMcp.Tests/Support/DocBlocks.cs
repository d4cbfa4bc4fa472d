using System.Text.RegularExpressions;

namespace StripeMcp.Tests.Support;

/// <summary>
/// The fenced code blocks of the documentation, with the marker that says how the tests treat each one:
/// an HTML comment on the line before the fence, <c>&lt;!-- docs-test: KIND[, exit N][, stdout has "TEXT"] --&gt;</c>.
/// <list type="bullet">
/// <item><c>run</c>: a shell block, run as one bash script with the built server as <c>stripe-mcp</c>; it must exit N (default 0).</item>
/// <item><c>validate</c>: a shell block of serving commands; <c>config validate</c> with the same options must say ok.</item>
/// <item><c>ci</c>: a shell block .ci/run runs (each command's first two words are in it).</item>
/// <item><c>quick-start</c>: README's command that serves the sandbox; <c>initialize</c>: the JSON line pasted into it.</item>
/// <item><c>config</c>: a JSON block that is a whole mcp-config.json; <c>config validate</c> must say ok to it.</item>
/// </list>
/// A shell block without a marker must begin with a comment saying it is not run, and why ("# not run here: needs Docker").
/// </summary>
public static partial class DocBlocks
{
    public static readonly string[] Kinds = ["run", "validate", "ci", "quick-start", "initialize", "config"];

    public static readonly string[] ShellLanguages = ["sh", "bash", "shell"];

    /// <param name="Line">The 1-based line of the opening fence.</param>
    public sealed record Block(string Page, int Line, string Language, string? Kind, int Exit, string? StdoutHas, string Text)
    {
        public override string ToString() => $"{Page}:{Line}";

        public bool IsShell => ShellLanguages.Contains(Language);

        /// <summary>The commands of a shell block: lines joined where they end in \, comments and blank lines left out.</summary>
        public IReadOnlyList<string> Commands()
        {
            var joined = Text.Replace("\\\n", " ", StringComparison.Ordinal);
            return joined.Split('\n').Select(l => CommentAtEnd().Replace(l, "").Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        }
    }

    /// <summary>Every fenced block of a page (README.md, docs/x.md), in order.</summary>
    public static IReadOnlyList<Block> Of(string page)
    {
        var lines = DocPages.Read(page).Split('\n');
        var blocks = new List<Block>();
        for (var i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            var indent = open.Groups["indent"].Value;
            var end = i + 1;
            while (end < lines.Length && lines[end].Trim() != "```") end++;
            var text = string.Join("\n", lines[(i + 1)..end].Select(l => l.StartsWith(indent, StringComparison.Ordinal) ? l[indent.Length..] : l.TrimStart()));
            var before = i - 1;
            while (before >= 0 && lines[before].Trim().Length == 0) before--;
            var marker = before >= 0 ? Marker().Match(lines[before].Trim()) : Match.Empty;
            string? kind = null, stdoutHas = null;
            var exit = 0;
            if (marker.Success)
            {
                kind = marker.Groups["kind"].Value;
                foreach (Match option in Option().Matches(marker.Groups["options"].Value))
                {
                    if (option.Groups["exit"].Success) exit = int.Parse(option.Groups["exit"].Value);
                    else stdoutHas = option.Groups["dq"].Success ? option.Groups["dq"].Value : option.Groups["sq"].Value;
                }
            }
            blocks.Add(new Block(page, i + 1, open.Groups["lang"].Value, kind, exit, stdoutHas, text));
            i = end;
        }
        return blocks;
    }

    /// <summary>Every block of every page.</summary>
    public static IEnumerable<Block> All() => DocPages.All.SelectMany(Of);

    /// <summary>The blocks of one kind, as theory data (page, line).</summary>
    public static TheoryData<string, int> OfKind(string kind)
    {
        var data = new TheoryData<string, int>();
        foreach (var b in All().Where(b => b.Kind == kind)) data.Add(b.Page, b.Line);
        return data;
    }

    public static Block At(string page, int line) => Of(page).Single(b => b.Line == line);

    [GeneratedRegex(@"^(?<indent>\s*)```(?<lang>[a-z]*)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^<!-- docs-test: (?<kind>[a-z-]+)(?<options>.*?) -->$")]
    private static partial Regex Marker();

    [GeneratedRegex("""(?:,\s*exit (?<exit>\d+))|(?:,\s*stdout has (?:"(?<dq>[^"]*)"|'(?<sq>[^']*)'))""")]
    private static partial Regex Option();

    /// <summary>A shell comment that ends a line ("  # what it does"), not a # inside a word or a quoted string.</summary>
    [GeneratedRegex(@"\s+#\s[^'""]*$")]
    private static partial Regex CommentAtEnd();
}
