using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Pipeline;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>
/// README's promises of the program as shipped, each through a spawned executable: CI runs this folder again against the
/// trimmed, self-contained Docker build and the installed dotnet tool, so every part a trimmer or a package could lose
/// (Stripe.net's reflected catalog and XML docs, the embedded guides, SQLite's native library, Npgsql, the JWT and
/// webhook checks, elicitation) is used here at least once. The behaviour itself is tested in process elsewhere.
/// </summary>
public sealed class ShippedProgramTests
{
    private const string Secret = "whsec_shippedprogram0123456789abcdef";

    private static async Task<JsonElement> Ok(TestServer s, string tool, string args = "{}")
    {
        var r = await s.CallAsync(tool, args);
        Assert.False(r.IsError ?? false, $"{tool}: {r.Text()}");
        return r.Json();
    }

    [Fact]
    public async Task A_stdio_client_uses_typed_generic_and_docs_tools_resources_prompts_and_a_confirmation()
    {
        await using var server = await TestServer.SpawnAsync(["--sandbox"]);
        var customer = (await Ok(server, "list_customers", """{"limit":1}""")).GetProperty("data")[0].GetProperty("id").GetString()!;

        // The generic path: Stripe.net's operations, found by search, described from its XML docs, called.
        var found = await Ok(server, "stripe_api_search", """{"query":"list quotes"}""");
        Assert.Contains("GetQuotes", found.GetRawText());
        Assert.Contains("customer", (await Ok(server, "stripe_api_details", """{"operation":"GetQuotes"}""")).GetRawText());
        Assert.Equal("list", (await Ok(server, "stripe_api_read", """{"operation":"GetQuotes","arguments":{}}""")).GetProperty("object").GetString());

        // The documentation search reads the embedded guides.
        var docs = await server.CallAsync(DocsSearchTool.Name, """{"question":"how do I refund part of a payment"}""");
        Assert.False(docs.IsError ?? false, docs.Text());
        Assert.Contains("refund", docs.Text(), StringComparison.OrdinalIgnoreCase);

        var resource = await server.Client.ReadResourceAsync($"stripe://customers/{customer}");
        Assert.Contains(customer, Assert.IsType<TextResourceContents>(Assert.Single(resource.Contents)).Text);
        Assert.NotEmpty((await server.Client.GetPromptAsync("investigate_charge", new Dictionary<string, object?> { ["customer"] = customer })).Messages);

        // A destructive call asks the human (the client accepts) and then runs.
        Assert.True((await Ok(server, "delete_customer", $$"""{"customer":"{{customer}}"}""")).GetProperty("deleted").GetBoolean());
    }

    [Fact]
    public async Task A_limit_total_outlives_the_process_in_the_SQLite_state_store()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-shipped-{Guid.NewGuid():N}", "state.db");
        var config = TestFiles.Config("""
            { "toolsets": ["payments"], "confirm": { "create_refund": "off" }, "limits": { "refunds": { "maxTotal": { "usd": 10000 }, "window": "24h" } } }
            """);
        string[] line = ["--api-key", "sk_test_shipped", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--state", state];
        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=40000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();
        await using (var first = await TestServer.SpawnAsync(line))
            await Ok(first, "create_refund", $$"""{"payment_intent":"{{pi}}","amount":6000}""");
        await using var second = await TestServer.SpawnAsync(line);
        var refused = (await second.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":6000}""")).Error();
        Assert.Equal("limits.refunds.maxTotal.usd", refused.GetProperty("limit").GetString());
        var verified = await Commands.RunAsync("audit", "verify", "--state", state);
        Assert.Equal(0, verified.ExitCode);
        Assert.StartsWith("ok: ", verified.Stdout);
    }

    [Fact]
    public async Task An_HTTP_server_takes_a_static_token_a_JWT_and_a_signed_delivery_and_keeps_stdout_empty()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        await using var issuer = await TestIssuer.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var config = TestFiles.Config($$"""
            { "toolsets": ["customers", "events"], "webhooks": { "secrets": ["{{Secret}}"] },
              "http": { "oauth": { "issuer": "{{issuer.Url}}", "resource": "{{resource}}" } } }
            """);
        await using var server = await HttpTestServer.SpawnAsync(["--api-key", "sk_test_shipped", "--stripe-api-base", sandbox.BaseUrl, "--config", config],
            new() { ["STRIPE_MCP_HTTP_TOKENS"] = "shipped-static-token-0123" }, port);

        async Task<McpClient> Connect(string token) => await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(resource),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }));
        await using (var byToken = await Connect("shipped-static-token-0123"))
            Assert.False((await byToken.CallToolAsync("list_customers")).IsError ?? false);
        await using var byJwt = await Connect(issuer.Token(resource, "openid stripe:read", subject: "alice"));
        Assert.False((await byJwt.CallToolAsync("list_customers")).IsError ?? false);

        var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(server.Url + "/webhooks/stripe")}&enabled_events[]=*")["id"]!.GetValue<string>();
        lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = Secret;
        var customer = sandbox.Execute("POST", "/v1/customers", "name=Delivered")["id"]!.GetValue<string>();
        await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Any(a => a.Delivered));
        var received = await byJwt.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["object"] = customer });
        Assert.Equal("customer.created", Assert.Single(received.Json().GetProperty("data").EnumerateArray()).GetProperty("type").GetString());
        Assert.Empty(server.Stdout);
    }
}
