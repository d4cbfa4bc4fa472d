using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>
/// One inventory: every tool the server can publish — typed, generic, documentation search, received events — is a
/// row with a name, and every one can be denied and allowed by name, is validated by name in the config, and is
/// listed by `tools --json`. A server publishes exactly what the policy decides for each row.
/// </summary>
public sealed class InventoryTests
{
    private static IEnumerable<string> Primary => ToolCatalog.All.Select(t => t.Name).Concat(Inventory.Surface.Select(s => s.Name));

    private static ServerOptions Load(string config)
    {
        var result = OptionsLoader.Load(new CommandLineInputs { Config = TestFiles.Config(config), ApiKey = "sk_test_inventory" }, _ => null);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return result.Options;
    }

    private static bool Enabled(string name, ServerOptions o) =>
        Inventory.FindSurface(name) is { } s ? ToolPolicy.IsEnabled(s, o, receiving: true) : ToolPolicy.Enabled(o).Any(t => t.Name == name);

    public static TheoryData<string> Names => [.. Primary];

    [Theory, MemberData(nameof(Names))]
    public void Every_tool_can_be_denied_by_name(string name)
    {
        Assert.True(Enabled(name, Load("""{ "toolsets": ["all"] }""")), $"{name} is not published with every toolset");
        Assert.False(Enabled(name, Load($$"""{ "toolsets": ["all"], "tools": { "deny": ["{{name}}"] } }""")), $"{name} is still published when denied by name");
    }

    [Theory, MemberData(nameof(Names))]
    public void Every_tool_with_a_permission_of_its_own_can_be_allowed_by_name_alone(string name)
    {
        var o = Load($$"""{ "actions": { "customers": { "read": false } }, "tools": { "allow": ["{{name}}"] } }""");
        if (Inventory.FindSurface(name) is { Permission: null })
            Assert.False(Enabled(name, o), $"{name} has no operations to call without their permissions"); // accepted by name, enables nothing alone
        else
            Assert.True(Enabled(name, o), $"{name} is not published when allowed by name");
    }

    [Fact]
    public async Task Tools_json_lists_every_tool_of_the_inventory()
    {
        var run = await Commands.RunAsync("tools", "--toolsets", "all", "--all", "--json");
        Assert.Equal(0, run.ExitCode);
        var listed = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.Equal(Primary.Order(), listed.Order());
    }

    [Fact]
    public async Task The_surface_tools_publish_the_hints_their_rows_say()
    {
        await using var server = await TestServer.StartAsync(["--sandbox", "--toolsets", "all"]);
        var listed = (await server.Client.ListToolsAsync()).ToDictionary(t => t.Name);
        foreach (var row in Inventory.Surface.Where(r => listed.ContainsKey(r.Name)))
        {
            var a = listed[row.Name].ProtocolTool.Annotations!;
            Assert.Equal(row.ReadOnly, a.ReadOnlyHint ?? false);
            Assert.Equal(row.Hints.HasFlag(Hints.Destructive), a.DestructiveHint ?? !row.ReadOnly);
            Assert.Equal(row.Hints.HasFlag(Hints.Idempotent), a.IdempotentHint ?? false);
            Assert.Equal(row.OpenWorld, a.OpenWorldHint ?? true);
        }
        Assert.Equal(5, Inventory.Surface.Count(r => listed.ContainsKey(r.Name))); // all but the receiver's log (no receiver on stdio)
    }

    [Fact]
    public async Task A_server_publishes_the_surface_tools_the_policy_enables_and_no_denied_one()
    {
        await using var server = await TestServer.StartAsync(["--sandbox", "--config", TestFiles.Config("""{ "toolsets": ["all"], "tools": { "deny": ["stripe_api_write", "search_stripe_documentation"] } }""")]);
        var names = (await server.Client.ListToolsAsync()).Select(t => t.Name).ToHashSet();
        Assert.Contains(Inventory.ApiRead, names);
        Assert.Contains(Inventory.ApiSearch, names);
        Assert.DoesNotContain(Inventory.ApiWrite, names);
        Assert.DoesNotContain(Inventory.DocsSearch, names);
        Assert.DoesNotContain(Inventory.ReceivedEvents, names); // no receiver on stdio
        // A denied tool is no tool at all: unknown, as a name that never existed.
        var e = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => server.Client.CallToolAsync(Inventory.ApiWrite, new Dictionary<string, object?> { ["operation"] = "PostCustomers" }).AsTask());
        Assert.Contains("Unknown tool", e.Message);
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("audit stripe_api_write denied")));
    }

    [Theory]
    [InlineData("stdio")]
    [InlineData("http")]
    public async Task The_start_up_log_counts_every_tool_a_caller_is_given(string transport)
    {
        await using var stripe = await FakeStripe.StartAsync();
        string[] args = ["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--toolsets", "customers,docs"];
        int listed;
        IEnumerable<string> stderr;
        if (transport == "stdio")
        {
            await using var server = await TestServer.StartAsync(args);
            listed = (await server.Client.ListToolsAsync()).Count;
            stderr = server.Stderr;
        }
        else
        {
            await using var server = await HttpTestServer.StartAsync(args);
            await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
            listed = (await client.ListToolsAsync()).Count;
            stderr = server.Stderr;
        }
        Assert.True(listed > ToolPolicy.Enabled(Load("""{ "toolsets": ["customers", "docs"] }""")).Count, "the surface tools are listed too");
        Assert.Contains(stderr, l => l.Contains($", {listed} tools enabled from "));
    }
}
