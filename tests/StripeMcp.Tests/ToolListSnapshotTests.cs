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

public sealed class PromptAndResourceSnapshotTests
{
    private static readonly JsonSerializerOptions Wire = new(McpJsonUtilities.DefaultOptions)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task Published_prompts()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all");
        Snapshot.Match(JsonSerializer.Serialize((await server.Client.ListPromptsAsync()).Select(p => p.ProtocolPrompt).ToList(), Wire));
    }

    [Fact]
    public async Task Published_resources_and_templates()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all");
        var resources = (await server.Client.ListResourcesAsync()).Select(r => r.ProtocolResource).ToList();
        var templates = (await server.Client.ListResourceTemplatesAsync()).Select(t => t.ProtocolResourceTemplate).ToList();
        Snapshot.Match(JsonSerializer.Serialize(new { resources, templates }, Wire));
    }
}

public sealed class AnnotationTests
{
    [Fact]
    public async Task Every_published_tool_has_the_hints_of_its_row_under_the_specs_defaults()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all");
        var all = await server.Client.ListToolsAsync();
        Assert.Equal(95 + 4 + 1, all.Count); // and the generic API path's four, and the documentation search
        var tools = all.Where(t => ToolCatalog.Find(t.Name) is not null).ToList();
        Assert.Equal(95, tools.Count);
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
