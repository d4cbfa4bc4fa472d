namespace StripeMcp.Tests;

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
