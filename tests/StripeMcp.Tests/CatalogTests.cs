using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>The dispatch table against the catalog we owe (Data/tool-catalog.md): names, permissions, hints.</summary>
public sealed class CatalogTests
{
    internal sealed record Row(string Name, bool Starred, string Permission, string Call, Hints Hints);

    internal static IReadOnlyList<Row> Rows { get; } = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "tool-catalog.md"))
        .Where(l => l.StartsWith("| ") && !l.StartsWith("| tool ") && !l.StartsWith("|---"))
        .Select(l => l.Split('|').Select(c => c.Trim()).ToArray())
        .Select(c => new Row(
            c[1].Replace("★", "").Trim(), c[1].Contains('★'), c[2], c[3],
            (c[4].Split(' ').Contains("R") ? Hints.ReadOnly : 0) | (c[4].Split(' ').Contains("D") ? Hints.Destructive : 0) | (c[4].Split(' ').Contains("I") ? Hints.Idempotent : 0)))
        .ToList();

    [Fact]
    public void The_catalog_file_is_read() => Assert.Equal(95, Rows.Count);

    [Fact]
    public void The_table_and_the_catalog_list_exactly_the_same_tools()
    {
        var table = ToolCatalog.All.Select(t => t.Name).ToHashSet();
        var catalog = Rows.Select(r => r.Name).ToHashSet();
        Assert.Empty(catalog.Except(table)); // owed but missing
        Assert.Empty(table.Except(catalog)); // in the table but not in the catalog
    }

    [Fact]
    public void Every_tool_in_the_table_matches_its_catalog_row_exactly()
    {
        foreach (var tool in ToolCatalog.All)
        {
            var row = Assert.Single(Rows, r => r.Name == tool.Name);
            Assert.Equal(row.Permission, tool.Permission);
            Assert.Equal(row.Hints, tool.Hints);
            Assert.StartsWith($"{tool.Method.Method} {tool.Path.Split('{')[0]}", row.Call);
        }
    }

    [Fact]
    public void Names_are_unique_snake_case_and_every_permission_uses_a_known_action()
    {
        Assert.Equal(ToolCatalog.All.Count, ToolCatalog.All.Select(t => t.Name).Distinct().Count());
        Assert.All(ToolCatalog.All, t => Assert.Matches("^[a-z]+(_[a-z]+)*$", t.Name));
        Assert.All(ToolCatalog.All, t => Assert.Contains(t.Action, Configuration.OptionsLoader.ActionNames));
    }
}

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

public sealed class ListAndSearchShapeTests
{
    [Fact]
    public void Every_list_tool_pages_and_every_search_tool_takes_a_query_and_a_page()
    {
        foreach (var tool in ToolCatalog.All)
        {
            var names = tool.Params.Select(p => p.Name).ToHashSet();
            if (tool.Name.StartsWith("list_", StringComparison.Ordinal))
                Assert.True(names.IsSupersetOf(["limit", "starting_after", "ending_before"]), $"{tool.Name} lacks paging");
            if (tool.Name.StartsWith("search_", StringComparison.Ordinal))
            {
                Assert.True(names.IsSupersetOf(["query", "limit", "page"]), $"{tool.Name} lacks query/limit/page");
                Assert.EndsWith("/search", tool.Path);
                Assert.True(tool.Params.Single(p => p.Name == "query").Required);
            }
        }
    }
}
