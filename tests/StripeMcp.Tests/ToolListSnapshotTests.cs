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
