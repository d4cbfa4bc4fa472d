using System.Text.Json;
using System.Text.Json.Nodes;
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

        var published = new JsonArray(tools.Select(t => JsonSerializer.SerializeToNode(t.ProtocolTool)).ToArray());
        Snapshot.Match(published.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
