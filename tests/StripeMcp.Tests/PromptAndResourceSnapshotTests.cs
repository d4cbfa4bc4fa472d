using System.Text.Json;
using ModelContextProtocol;
using Snapshooter.Xunit;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

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
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        Snapshot.Match(JsonSerializer.Serialize((await server.Client.ListPromptsAsync()).Select(p => p.ProtocolPrompt).ToList(), Wire));
    }

    [Fact]
    public async Task Published_resources_and_templates()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        var resources = (await server.Client.ListResourcesAsync()).Select(r => r.ProtocolResource).ToList();
        var templates = (await server.Client.ListResourceTemplatesAsync()).Select(t => t.ProtocolResourceTemplate).ToList();
        Snapshot.Match(JsonSerializer.Serialize(new { resources, templates }, Wire));
    }
}
