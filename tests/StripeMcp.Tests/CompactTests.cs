using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// Compact mode (--compact, "compact": true) through the MCP client against the sandbox: the generic tools stand in for
/// the typed ones, and every operation a typed tool makes is reached through them under the same gate, limits,
/// confirmation and audit, keyed by the Stripe operation as before.
/// </summary>
public sealed class CompactTests
{
    private static Task<TestServer> Start(Sandbox.Sandbox sandbox, string[] args, McpClientOptions? client = null) =>
        TestServer.StartAsync(["--api-key", "sk_test_compact", "--stripe-api-base", sandbox.BaseUrl, "--compact", .. args], client: client);

    private static async Task<List<string>> Names(TestServer s) => [.. (await s.Client.ListToolsAsync()).Select(t => t.Name)];

    private static string Paid(Sandbox.Sandbox sandbox) =>
        sandbox.Execute("POST", "/v1/payment_intents", "amount=5000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    private static JsonArray Refunds(Sandbox.Sandbox sandbox, string pi) => sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray();

    [Fact]
    public async Task Tools_all_publishes_the_four_generic_tools_and_the_documentation_search_and_says_how_to_work()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await Start(sandbox, ["--tools", "all"]);
        var tools = await server.Client.ListToolsAsync();
        Assert.Equal(["stripe_api_search", "stripe_api_details", "stripe_api_read", "stripe_api_write", "search_stripe_documentation"], tools.Select(t => t.Name));
        // The tools array as the context benchmark measures it: compact JSON, as sent.
        var bytes = System.Text.Encoding.UTF8.GetByteCount(new JsonArray([.. tools.Select(t => JsonSerializer.SerializeToNode(t.ProtocolTool, ModelContextProtocol.McpJsonUtilities.DefaultOptions))]).ToJsonString());
        Assert.True(bytes <= 4000, $"tools/list is {bytes} bytes in compact mode; at most 4000");
        Assert.Contains("find it with stripe_api_search", server.Client.ServerInstructions);
        Assert.Contains(server.Stderr, l => l.Contains("5 tools enabled from --tools (compact: "));

        // A typed tool's operation is found, and named by its operation id only: no tool of that name is published.
        var found = (await server.CallAsync("stripe_api_search", """{"query":"refund a payment"}""")).Json().GetProperty("operations");
        var refund = Assert.Single(found.EnumerateArray(), o => o.GetProperty("operation").GetString() == "PostRefunds");
        Assert.True(!refund.TryGetProperty("typed_tool", out var typed) || typed.ValueKind == JsonValueKind.Null);
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => server.CallAsync("create_refund", """{"payment_intent":"pi_1"}"""));
        var docs = (await server.CallAsync("search_stripe_documentation", """{"question":"create a refund"}""")).Json().GetProperty("results");
        Assert.Contains(docs.EnumerateArray(), r => r.TryGetProperty("call", out var c) && c.GetString() == "stripe_api_write with operation PostRefunds");
        Assert.DoesNotContain(docs.EnumerateArray(), r => r.TryGetProperty("call", out var c) && c.GetString() == "create_refund");
    }

    [Fact]
    public async Task A_refund_through_stripe_api_write_is_sent_once_and_audited_as_its_operation()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var audit = Path.Combine(Path.GetTempPath(), $"stripe-mcp-audit-{Guid.NewGuid():N}.jsonl");
        var pi = Paid(sandbox);
        await using (var server = await Start(sandbox, ["--toolsets", "payments", "--audit-log", audit]))
        {
            var details = (await server.CallAsync("stripe_api_details", """{"operation":"PostRefunds"}""")).Json();
            Assert.Equal("refunds.create", details.GetProperty("permission").GetString());
            var refund = await server.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefunds","arguments":{"payment_intent":"{{{pi}}}","amount":1200}}""");
            Assert.True(refund.IsError != true, refund.Text());
            Assert.Equal(1200, refund.Json().GetProperty("amount").GetInt32());
        }
        Assert.Equal(1200, Assert.Single(Refunds(sandbox, pi))!["amount"]!.GetValue<int>());
        var line = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(audit), l => l.Contains("\"Tool\":\"PostRefunds\""))).RootElement;
        Assert.Equal("refunds.create", line.GetProperty("Permission").GetString());
        Assert.Equal("ok", line.GetProperty("Outcome").GetString());
        Assert.StartsWith("req_", line.GetProperty("RequestId").GetString());
    }

    [Fact]
    public async Task A_refunds_limit_and_a_confirm_on_create_refund_hold_through_stripe_api_write()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var pi = Paid(sandbox);
        var config = TestFiles.Config("""
            { "compact": true, "actions": { "refunds": { "create": true } }, "confirm": { "create_refund": "on" },
              "limits": { "refunds": { "maxAmount": { "usd": 500 } } } }
            """);
        var asked = new ConcurrentQueue<string>();
        var human = new McpClientOptions
        {
            Handlers = new McpClientHandlers { ElicitationHandler = (p, _) => { asked.Enqueue(p!.Message); return ValueTask.FromResult(new ElicitResult { Action = "decline" }); } },
        };
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_compact", "--stripe-api-base", sandbox.BaseUrl, "--config", config], client: human);
        Assert.Equal(["stripe_api_search", "stripe_api_details", "stripe_api_write"], await Names(server));

        var over = (await server.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefunds","arguments":{"payment_intent":"{{{pi}}}","amount":900}}""")).Error();
        Assert.Equal("limits.refunds.maxAmount.usd", over.GetProperty("limit").GetString());
        Assert.Empty(asked); // refused before the human is asked
        var declined = await server.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefunds","arguments":{"payment_intent":"{{{pi}}}","amount":300}}""");
        Assert.Contains("declined by the user; nothing was sent", declined.Text());
        // create_refund's "on" asks for its operation on the generic path, naming the payment refunded (outside attack: the
        // question said "(new object)", so the human could not see which payment).
        Assert.Contains($"payment_intent {pi}", Assert.Single(asked));
        Assert.Contains("amount 300", asked.Single());
        Assert.Empty(Refunds(sandbox, pi));

        // The policy resource names the operation, not a tool this server does not publish.
        var policy = JsonNode.Parse(Assert.IsType<TextResourceContents>(Assert.Single((await server.Client.ReadResourceAsync("stripe-mcp://policy")).Contents)).Text)!;
        Assert.True(policy["compact"]!.GetValue<bool>());
        Assert.Equal(["PostRefunds"], policy["confirm"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["PostRefunds"], policy["limits"]!["rules"]![0]!["tools"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(["stripe_api_search", "stripe_api_details", "stripe_api_write"], policy["tools"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_denied_typed_tool_denies_its_operation_and_read_only_has_no_write_tool()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var pi = Paid(sandbox);
        var config = TestFiles.Config("""{ "compact": true, "toolsets": ["payments"], "tools": { "deny": ["create_refund"] } }""");
        await using (var denied = await TestServer.StartAsync(["--api-key", "sk_test_compact", "--stripe-api-base", sandbox.BaseUrl, "--config", config]))
        {
            var before = sandbox.Counters.Requests;
            var refused = (await denied.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefunds","arguments":{"payment_intent":"{{{pi}}}"}}""")).Error();
            Assert.Equal("operation_not_allowed", refused.GetProperty("type").GetString());
            Assert.Equal(before, sandbox.Counters.Requests);
            var found = (await denied.CallAsync("stripe_api_search", """{"query":"create a refund","limit":50}""")).Json().GetProperty("operations");
            Assert.DoesNotContain(found.EnumerateArray(), o => o.GetProperty("operation").GetString() == "PostRefunds");
        }
        await using var readOnly = await Start(sandbox, ["--tools", "all", "--read-only"]);
        Assert.Equal(["stripe_api_search", "stripe_api_details", "stripe_api_read", "search_stripe_documentation"], await Names(readOnly));
        Assert.Equal("list", (await readOnly.CallAsync("stripe_api_read", """{"operation":"GetRefunds","arguments":{}}""")).Json().GetProperty("object").GetString());
    }

    [Fact]
    public async Task A_destructive_operation_asks_the_human_first()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var customer = sandbox.Execute("POST", "/v1/customers", "name=Kept")["id"]!.GetValue<string>();
        await using var server = await Start(sandbox, ["--tools", "customers.delete"], TestServer.Human("decline"));
        var declined = await server.CallAsync("stripe_api_write", $$$"""{"operation":"DeleteCustomersCustomer","arguments":{"customer":"{{{customer}}}"}}""");
        Assert.Contains("declined by the user; nothing was sent", declined.Text());
        Assert.Equal("Kept", sandbox.Execute("GET", $"/v1/customers/{customer}", "")["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_objects_resource_template_is_served_through_stripe_api_read()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var customer = sandbox.Execute("POST", "/v1/customers", "name=As a resource")["id"]!.GetValue<string>();
        var audit = Path.Combine(Path.GetTempPath(), $"stripe-mcp-audit-{Guid.NewGuid():N}.jsonl");
        await using var server = await Start(sandbox, ["--tools", "customers.read,events.read", "--audit-log", audit]);
        var templates = (await server.Client.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        Assert.Contains("stripe://customers/{id}", templates);
        Assert.Contains("stripe://events/{id}", templates);
        Assert.Contains("stripe://events/recent", (await server.Client.ListResourcesAsync()).Select(r => r.Uri));
        Assert.Empty(await server.Client.ListPromptsAsync()); // every prompt needs typed tools; none is published

        var read = Assert.IsType<TextResourceContents>(Assert.Single((await server.Client.ReadResourceAsync($"stripe://customers/{customer}")).Contents)).Text;
        Assert.Equal("As a resource", JsonDocument.Parse(read).RootElement.GetProperty("name").GetString());
        var recent = Assert.IsType<TextResourceContents>(Assert.Single((await server.Client.ReadResourceAsync("stripe://events/recent")).Contents)).Text;
        Assert.Equal("list", JsonDocument.Parse(recent).RootElement.GetProperty("object").GetString());
        await Eventually.True(() => File.Exists(audit) && File.ReadAllLines(audit).Any(l => l.Contains("\"Tool\":\"GetCustomersCustomer\"") && l.Contains("\"Outcome\":\"ok\"")));
    }

    [Fact]
    public async Task A_typed_tool_allowed_by_name_never_opens_its_whole_operation()
    {
        // Outside attack: tools.allow ["pause_subscription"] opened PostSubscriptionsSubscription on the generic path (with
        // compact, a quantity of 50 billed at once). A typed tool allowed by name is that tool and its narrow arguments only;
        // compact refuses such a config (OptionsLoaderTests.Compact_refuses_typed_tools_allowed_by_name_which_it_would_open_whole).
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var typed = TestFiles.Config("""{ "tools": { "allow": ["pause_subscription"] } }""");
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_compact", "--stripe-api-base", sandbox.BaseUrl, "--config", typed]);
        Assert.Equal(["pause_subscription"], await Names(server));
        // No generic tool is published: the operation has no other way in.
        await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() => server.CallAsync("stripe_api_write",
            """{"operation":"PostSubscriptionsSubscription","arguments":{"subscription":"sub_1","items":[{"id":"si_1","quantity":50}]}}"""));
    }
}
