using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Over HTTP with a webhook receiver: what Stripe delivers is what subscribers hear of and read.</summary>
public sealed class ReceivedEventResourceTests
{
    private const string Secret = "whsec_resourceTestSecret0123456789";

    private static async Task<HttpTestServer> Start(Sandbox.Sandbox sandbox, params string[] more)
    {
        var config = TestFiles.Config($$"""{ "toolsets": ["events"], "webhooks": { "secrets": ["{{Secret}}"] } }""");
        return await HttpTestServer.StartAsync(["--api-key", "sk_test_resources", "--stripe-api-base", sandbox.BaseUrl, "--config", config,
            "--state", Path.Combine(Path.GetTempPath(), $"stripe-mcp-resources-{Guid.NewGuid():N}", "state.db"), .. more]);
    }

    private static void Deliver(Sandbox.Sandbox sandbox, HttpTestServer server)
    {
        var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(server.Url + "/webhooks/stripe")}&enabled_events[]=customer.created")["id"]!.GetValue<string>();
        lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = Secret;
    }

    private static Task<McpClient> Connect(HttpTestServer server, McpClientOptions? options = null) =>
        TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }), options);

    [Fact]
    public async Task A_stateful_session_subscribed_to_recent_events_is_told_when_the_receiver_keeps_one()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        await using var server = await Start(sandbox, "--stateful");
        Deliver(sandbox, server);
        await using var client = await Connect(server, new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var resource = Assert.Single(await client.ListResourcesAsync(), r => r.Uri == "stripe://events/recent");
        Assert.Contains("webhook receiver", resource.Description);
        var updates = new ConcurrentQueue<string>();
        await using (await client.SubscribeToResourceAsync("stripe://events/recent", (n, _) => { updates.Enqueue(n.Uri); return ValueTask.CompletedTask; }))
        {
            sandbox.Execute("POST", "/v1/customers", "name=Delivered");
            await Eventually.True(() => !updates.IsEmpty);
        }
        var recent = JsonDocument.Parse(Assert.IsType<TextResourceContents>(Assert.Single((await client.ReadResourceAsync("stripe://events/recent")).Contents)).Text).RootElement;
        var kept = Assert.Single(recent.GetProperty("data").EnumerateArray());
        Assert.Equal("customer.created", kept.GetProperty("type").GetString());
        Assert.True(kept.GetProperty("received").GetInt64() > 0); // from the receiver's log, not from Stripe's list
    }

    [Fact]
    public async Task Stateless_http_refuses_a_session_subscription_by_name_and_serves_a_2026_listen_on_its_own_stream()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        await using var server = await Start(sandbox);
        Deliver(sandbox, server);
        await using (var old = await Connect(server, new McpClientOptions { ProtocolVersion = "2025-11-25" }))
        {
            Assert.Null(old.ServerCapabilities.Resources?.Subscribe); // not offered where it cannot work
            var refused = await Assert.ThrowsAsync<McpProtocolException>(() => old.SubscribeToResourceAsync("stripe://events/recent"));
            Assert.Contains("stateless HTTP", refused.Message);
            Assert.Contains("--stateful", refused.Message);
        }
        await using var client = await Connect(server);
        Assert.True(client.ServerCapabilities.Resources?.Subscribe);
        await ListenForOne(sandbox, client);
    }

    [Fact]
    public async Task A_stateful_server_serves_a_2026_client_without_a_session()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        await using var server = await Start(sandbox, "--stateful");
        Deliver(sandbox, server);
        await using var client = await Connect(server);
        Assert.Equal("2026-07-28", client.NegotiatedProtocolVersion);
        Assert.Null(client.SessionId);
        Assert.Contains(await client.ListToolsAsync(), t => t.Name == "list_events");
        Assert.Contains(await client.ListResourcesAsync(), r => r.Uri == "stripe://events/recent");
        await ListenForOne(sandbox, client);
    }

    private static async Task ListenForOne(Sandbox.Sandbox sandbox, McpClient client)
    {
        var updates = new ConcurrentQueue<JsonNode?>();
        await using var u = client.RegisterNotificationHandler(NotificationMethods.ResourceUpdatedNotification, (n, _) => { updates.Enqueue(n.Params); return ValueTask.CompletedTask; });
        using var stop = new CancellationTokenSource();
        var listen = ResourceTests.Listen(client, "http-listen", ["stripe://events/recent"], stop.Token);
        await Task.Delay(500);
        sandbox.Execute("POST", "/v1/customers", "name=Streamed");
        await Eventually.True(() => !updates.IsEmpty);
        Assert.Equal("http-listen", updates.First()!["_meta"]![MetaKeys.SubscriptionId]!.GetValue<string>());
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => listen);
    }
}
