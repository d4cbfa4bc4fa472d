using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class AnnotationTests
{
    [Fact]
    public async Task Every_published_tool_has_the_hints_of_its_row_under_the_specs_defaults()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        var all = await server.Client.ListToolsAsync();
        Assert.Equal(ToolCatalog.All.Count + Inventory.Surface.Count(s => s.Name != Inventory.ReceivedEvents), all.Count); // every surface tool stdio publishes
        var tools = all.Where(t => ToolCatalog.Find(t.Name) is not null).ToList();
        Assert.Equal(ToolCatalog.All.Count, tools.Count);
        foreach (var tool in tools)
        {
            var a = tool.ProtocolTool.Annotations;
            Assert.NotNull(a);
            var row = ToolCatalog.Find(tool.Name)!;
            // Read as a client must: a hint left out has the MCP spec's default (readOnly false, destructive true,
            // idempotent false, openWorld true); destructive and idempotent mean something only for a tool that writes.
            Assert.Equal(row.ReadOnly, a.ReadOnlyHint ?? false);
            if (!row.ReadOnly)
            {
                Assert.Equal(row.Destructive, a.DestructiveHint ?? true);
                Assert.Equal(row.Idempotent, a.IdempotentHint ?? false);
                Assert.NotNull(a.DestructiveHint); // stated either way, for clients that do not apply the default
            }
            Assert.True(a.OpenWorldHint ?? true);
            Assert.Null(a.Title); // the tool's own title says it once
            Assert.Null(tool.ProtocolTool.OutputSchema);
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.False(string.IsNullOrWhiteSpace(tool.ProtocolTool.Title));
        }
    }
}
