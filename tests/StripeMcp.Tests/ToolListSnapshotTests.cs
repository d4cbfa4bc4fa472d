using System.Text.Json;
using ModelContextProtocol;
using Snapshooter.Xunit;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// What agents see — names, titles, descriptions, schemas, annotations — as one snapshot, so any
/// change to it is a visible diff. CI runs with SNAPSHOOTER_STRICT_MODE=true: a missing snapshot fails.
/// </summary>
public sealed class ToolListSnapshotTests
{
    [Fact]
    public async Task Published_tool_list()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all");
        var tools = await server.Client.ListToolsAsync();

        // The SDK's own wire options (nulls left out), indented so a change reads as a diff.
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        Snapshot.Match(JsonSerializer.Serialize(tools.Select(t => t.ProtocolTool).ToList(), options));
    }
}

public sealed class AnnotationTests
{
    [Fact]
    public async Task Every_published_tool_states_all_four_hints_and_they_match_its_row()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all");
        var all = await server.Client.ListToolsAsync();
        Assert.Equal(85 + 4, all.Count); // and the generic API path's four
        var tools = all.Where(t => Tools.ToolCatalog.Find(t.Name) is not null).ToList();
        Assert.Equal(85, tools.Count);
        foreach (var tool in tools)
        {
            var a = tool.ProtocolTool.Annotations;
            Assert.NotNull(a);
            var row = Tools.ToolCatalog.Find(tool.Name)!;
            Assert.Equal(row.ReadOnly, a.ReadOnlyHint);
            Assert.Equal(row.Destructive, a.DestructiveHint);
            Assert.Equal(row.Idempotent, a.IdempotentHint);
            Assert.True(a.OpenWorldHint);
            Assert.False(string.IsNullOrWhiteSpace(tool.Description));
            Assert.False(string.IsNullOrWhiteSpace(tool.ProtocolTool.Title));
        }
    }
}
