using System.Text.Json;
using ModelContextProtocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// What agents see of each tool — name, title, description, schema, annotations — as one snapshot per published tool
/// (__toolsnaps__/&lt;name&gt;.json), so a change shows as the tool it changed. CI runs with SNAPSHOOTER_STRICT_MODE=true:
/// a missing snapshot fails instead of being written. STRIPE_MCP_UPDATE_SNAPSHOTS=1 rewrites changed ones and removes
/// those of tools no longer published; without it a changed tool fails, its new form left in __toolsnaps__/__mismatch__/.
/// </summary>
public sealed class ToolSnapshotTests
{
    private static readonly JsonSerializerOptions Wire = new(McpJsonUtilities.DefaultOptions)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [Fact]
    public async Task Every_published_tool_matches_its_own_snapshot()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        var tools = await server.Client.ListToolsAsync();
        // The inventory decides the count: every typed tool, and the surface tools stdio publishes with everything on.
        var surface = Inventory.Surface.Count(s => s.Name != Inventory.ReceivedEvents);
        Assert.Equal(ToolCatalog.All.Count + surface, tools.Count);

        var dir = TestFiles.Repo("tests/StripeMcp.Tests/__toolsnaps__");
        var mismatches = Path.Combine(dir, "__mismatch__");
        var strict = Environment.GetEnvironmentVariable("SNAPSHOOTER_STRICT_MODE") == "true";
        var update = Environment.GetEnvironmentVariable("STRIPE_MCP_UPDATE_SNAPSHOTS") == "1";
        Directory.CreateDirectory(dir);
        var problems = new List<string>();
        foreach (var tool in tools)
        {
            var now = JsonSerializer.Serialize(tool.ProtocolTool, Wire).ReplaceLineEndings("\n") + "\n";
            var path = Path.Combine(dir, tool.Name + ".json");
            if (!File.Exists(path))
            {
                if (strict) problems.Add($"{tool.Name}: no snapshot (run the tests locally to write {Path.GetFileName(path)}, review it, commit it)");
                else File.WriteAllText(path, now);
                continue;
            }
            if (File.ReadAllText(path).ReplaceLineEndings("\n") == now) continue;
            if (update) { File.WriteAllText(path, now); continue; }
            Directory.CreateDirectory(mismatches);
            File.WriteAllText(Path.Combine(mismatches, tool.Name + ".json"), now);
            problems.Add($"{tool.Name}: differs from its snapshot (new form in __toolsnaps__/__mismatch__/{tool.Name}.json; STRIPE_MCP_UPDATE_SNAPSHOTS=1 accepts it)");
        }
        var published = tools.Select(t => t.Name + ".json").ToHashSet();
        foreach (var stale in Directory.GetFiles(dir, "*.json").Where(p => !published.Contains(Path.GetFileName(p))))
        {
            if (update) File.Delete(stale);
            else problems.Add($"{Path.GetFileName(stale)}: a snapshot of a tool no longer published");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
