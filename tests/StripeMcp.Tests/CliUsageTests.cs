using System.Text.RegularExpressions;
using StripeMcp.Cli;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>How the command line answers a wrong or a curious operator: usage errors, help, one verdict for one set of options.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task A_mistyped_option_is_an_error_on_stderr_with_exit_2_and_nothing_on_stdout()
    {
        var run = await CliTests.RunAsync("--tols", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tols", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    /// <summary>README's table keeps each description's first sentence; "e.g." inside it does not end it.</summary>
    [Fact]
    public void The_markdown_table_does_not_cut_a_description_at_an_abbreviation()
    {
        var cells = ToolTable.Markdown(ToolCatalog.All).Split('\n')
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => (Tool: l.Split('|')[1].Trim(), Text: l.Split(" | ")[^1].TrimEnd(' ', '|', '\r')))
            .ToList();
        Assert.Equal(ToolCatalog.All.Count, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.False(Regex.IsMatch(c.Text, @"\b(e\.g|i\.e|vs|cf)\.?$"), $"{c.Tool}: cut at an abbreviation: {c.Text}");
            Assert.True(c.Text.Count(ch => ch == '(') == c.Text.Count(ch => ch == ')'), $"{c.Tool}: cut inside parentheses: {c.Text}");
        });
        Assert.Contains(cells, c => c.Tool == "`create_promotion_code`" && c.Text == "Create a customer-facing code (e.g. \"LAUNCH25\") that redeems a coupon at checkout");
    }
}
