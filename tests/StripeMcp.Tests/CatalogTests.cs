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
    public void The_catalog_file_is_read() => Assert.Equal(ToolCatalog.All.Count, Rows.Count);

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
