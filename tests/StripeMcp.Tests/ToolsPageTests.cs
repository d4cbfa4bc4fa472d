using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>docs/tools.md's tables are generated from the dispatch table and the money rules, to the letter.</summary>
public sealed class ToolsPageTests
{
    [Fact]
    public void Tools_page_tool_table_matches_the_dispatch_table() =>
        DocPages.AssertSection("docs/tools.md", "<!-- tools:begin (stripe-mcp tools --all --markdown) -->", "<!-- tools:end -->",
            ToolTable.Markdown(ToolCatalog.All));

    /// <summary>Every tool that sets or triggers an amount is in the limits table of docs/tools.md, with how its amount is known.</summary>
    [Fact]
    public void Tools_page_limits_table_matches_the_dispatch_table() =>
        DocPages.AssertSection("docs/tools.md", "<!-- limits:begin (ToolTable.LimitsMarkdown) -->", "<!-- limits:end -->",
            ToolTable.LimitsMarkdown());

    /// <summary>The generated tables are where README sends readers (and the start-up warning names docs/tools.md).</summary>
    [Fact]
    public void The_readme_links_to_the_limits_table()
    {
        Assert.Contains("(docs/tools.md#which-operations-limits-cover)", DocPages.Read("README.md"));
        Assert.Contains("\n## Which operations limits cover\n", DocPages.Read("docs/tools.md"));
    }
}
