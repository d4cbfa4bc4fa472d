using System.Net;
using ModelContextProtocol.Client;
using System.Text;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>An agent creates a webhook endpoint for this server's own receiver: the server keeps its secret, the operator copies nothing.</summary>
public sealed class KeptWebhookSecretTests
{
    private static Task<(HttpStatusCode, string)> Post(string url, string payload, string secret)
    {
        var t = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var v1 = Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        return Send(url, payload, $"t={t},v1={v1}");
    }

    private static async Task<(HttpStatusCode, string)> Send(string url, string payload, string signature)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, url + "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Creating_an_endpoint_for_the_own_receiver_keeps_its_secret_and_deleting_it_forgets_it()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-kept-{Guid.NewGuid():N}", "state.db");
        var config = TestFiles.Config("""{ "toolsets": ["events"], "confirm": { "delete_webhook_endpoint": "off" } }""");
        string[] args = ["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--state", state];
        string secret;
        await using (var server = await HttpTestServer.StartAsync(args))
        await using (var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp })))
        {
            Assert.Contains(await client.ListToolsAsync(), t => t.Name == "list_received_events"); // the agent can give the receiver a secret
            var stray = Event(sandbox);
            Assert.Equal(HttpStatusCode.NotFound, (await Post(server.Url, stray, "whsec_notKeptAnywhere0123456789")).Item1); // no secret yet

            // Another local port, or another path, is not this receiver: nothing kept.
            var elsewhere = await client.CallToolAsync("create_webhook_endpoint", new Dictionary<string, object?> { ["url"] = "http://127.0.0.1:9/webhooks/stripe", ["enabled_events"] = new[] { "customer.created" } });
            Assert.True(elsewhere.IsError != true, elsewhere.Text());
            Assert.Single(elsewhere.Content);
            var ours = await client.CallToolAsync("create_webhook_endpoint", new Dictionary<string, object?> { ["url"] = server.Url + "/webhooks/stripe", ["enabled_events"] = new[] { "customer.created" } });
            Assert.True(ours.IsError != true, ours.Text());
            var id = ours.Json().GetProperty("id").GetString()!;
            secret = sandbox.State.WebhookSecrets[id];
            Assert.DoesNotContain(secret[6..], ours.Text());
            Assert.Contains("keeps its signing secret", ours.Text());
            await using (var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None))
                Assert.Equal([id], (await store.WebhookSecretsAsync(CancellationToken.None)).Select(k => k.Endpoint));

            // A connected account's event signed with the kept (platform) secret is not Stripe's: a platform endpoint never sends one.
            var foreign = System.Text.Json.Nodes.JsonNode.Parse(stray)!.AsObject();
            foreign["id"] = "evt_1ForeignAccount";
            foreign["account"] = "acct_1Other";
            Assert.Equal(HttpStatusCode.BadRequest, (await Post(server.Url, foreign.ToJsonString(), secret)).Item1);

            // Stripe's delivery verifies with the kept secret and reaches the agent; a forgery still does not.
            sandbox.Execute("POST", "/v1/customers", "name=Kept");
            await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Any(a => a.Delivered));
            var received = await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["type"] = "customer.created" });
            Assert.Single(received.Json().GetProperty("data").EnumerateArray());
            Assert.Equal(HttpStatusCode.BadRequest, (await Post(server.Url, stray, "whsec_forgedForgedForged0123456789")).Item1);

            var deleted = await client.CallToolAsync("delete_webhook_endpoint", new Dictionary<string, object?> { ["webhook_endpoint"] = id });
            Assert.Contains("no longer verifies", deleted.Text());
            Assert.Equal(HttpStatusCode.NotFound, (await Post(server.Url, stray, secret)).Item1);
            Assert.DoesNotContain(server.Stderr, l => l.Contains(secret[6..]));

        }
    }

    [Fact]
    public async Task A_connected_accounts_endpoint_for_the_receiver_is_not_kept_and_its_callers_do_not_read_the_platforms_log()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var account = sandbox.Execute("POST", "/v1/accounts", "type=express&country=US&capabilities[transfers][requested]=true")["id"]!.GetValue<string>();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-kept-{Guid.NewGuid():N}", "state.db");
        await using var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "events", "--stripe-account", account, "--state", state]);
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
        Assert.DoesNotContain(await client.ListToolsAsync(), t => t.Name == "list_received_events");
        var created = await client.CallToolAsync("create_webhook_endpoint", new Dictionary<string, object?> { ["url"] = server.Url + "/webhooks/stripe", ["enabled_events"] = new[] { "*" } });
        Assert.True(created.IsError != true, created.Text());
        Assert.Contains("keeps only the platform's own endpoints' secrets", created.Text());
        await using var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None);
        Assert.Empty(await store.WebhookSecretsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_kept_secret_outlives_a_restart_and_the_receiver_answers_503_when_the_store_cannot_say()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-kept-{Guid.NewGuid():N}", "state.db");
        const string secret = "whsec_keptAcrossRestarts0123456789";
        await using (var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None))
            await store.KeepWebhookSecretAsync(new KeptSecret("we_1Kept", "http://127.0.0.1:1/webhooks/stripe", secret, DateTimeOffset.UtcNow), CancellationToken.None);
        await using (var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--tools", "events.read", "--state", state]))
        {
            var payload = Event(sandbox);
            var (status, body) = await Post(server.Url, payload, secret);
            Assert.True(status == HttpStatusCode.OK, body);
            await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
            Assert.Contains(await client.ListToolsAsync(), t => t.Name == "list_received_events");
        }

        // A store that is down cannot say whether a delivery is signed with a kept secret: 503 (Stripe retries), not 400.
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        var config = TestFiles.Config("""{ "toolsets": ["events"], "webhooks": { "secrets": ["whsec_configuredSecret0123456789"] } }""");
        await using var down = await HttpTestServer.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--config", config],
            new() { ["STRIPE_MCP_POSTGRES"] = $"Host=127.0.0.1;Port={port};Database=gone;Username=u;Password=p;Timeout=2" });
        var (unsure, _) = await Post(down.Url, Event(sandbox), "whsec_maybeKeptMaybeNot0123456789");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unsure);
        Assert.Contains(down.Stderr, l => l.Contains("kept ones are unavailable"));
    }

    private static string Event(Sandbox.Sandbox sandbox)
    {
        sandbox.Execute("POST", "/v1/customers", "name=Signed");
        return sandbox.Execute("GET", "/v1/events", "type=customer.created")["data"]![0]!.ToJsonString();
    }
}
