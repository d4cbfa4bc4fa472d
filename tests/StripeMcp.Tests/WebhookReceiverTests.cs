using System.Net;
using ModelContextProtocol.Client;
using System.Text;
using System.Text.Json;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The server's receiver (HTTP mode, POST /webhooks/stripe): Stripe's deliveries, authenticated by their
/// signature alone, kept once in the state store's event log; anything unsigned or forged is 400, nothing kept.
/// </summary>
public sealed class WebhookReceiverTests
{
    private const string Secret = "whsec_receiverTestSecret0123456789";

    private static async Task<(HttpTestServer Server, string State)> Start(Sandbox.Sandbox sandbox, string? secrets = null)
    {
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-webhooks-{Guid.NewGuid():N}", "state.db");
        var config = TestFiles.Config($$"""{ "toolsets": ["events"], "webhooks": { "secrets": [{{secrets ?? $"\"{Secret}\""}}] } }""");
        var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--state", state]);
        return (server, state);
    }

    private static async Task<IReadOnlyList<ReceivedEvent>> Kept(string state)
    {
        await using var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None);
        return await store.ReceivedEventsAsync(null, null, null, 100, CancellationToken.None);
    }

    private static async Task<(HttpStatusCode Status, string Body)> Post(string url, string payload, string? signature)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, url + "/webhooks/stripe") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static string Event(Sandbox.Sandbox sandbox)
    {
        sandbox.Execute("POST", "/v1/customers", "name=Signed");
        return sandbox.Execute("GET", "/v1/events", "type=customer.created")["data"]![0]!.ToJsonString();
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task The_sandbox_delivers_signed_events_to_the_receiver_which_keeps_each_once()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        var (server, state) = await Start(sandbox);
        await using (server)
        {
            var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(server.Url + "/webhooks/stripe")}&enabled_events[]=*")["id"]!.GetValue<string>();
            lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = Secret; // the secret the operator configured
            var customer = sandbox.Execute("POST", "/v1/customers", "name=Delivered")["id"]!.GetValue<string>();
            await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Any(a => a.Delivered));
            var kept = await Kept(state);
            var one = Assert.Single(kept);
            Assert.Equal("customer.created", one.Type);
            Assert.Equal(customer, one.ObjectId);
            Assert.Equal(0, sandbox.Execute("GET", $"/v1/events/{one.Id}")["pending_webhooks"]!.GetValue<long>());

            // The agent reads what arrived, filtered, without a request to Stripe.
            await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
            Assert.Contains("list_received_events", (await client.ListToolsAsync()).Select(t => t.Name));
            var before = sandbox.Counters.Requests;
            var listed = await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["type"] = "customer.created", ["object"] = customer });
            Assert.False(listed.IsError ?? false, listed.Text());
            var data = listed.Json().GetProperty("data");
            Assert.Equal(one.Id, Assert.Single(data.EnumerateArray()).GetProperty("id").GetString());
            Assert.Equal(before, sandbox.Counters.Requests);
            Assert.Empty((await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["type"] = "invoice.paid" })).Json().GetProperty("data").EnumerateArray());
            var bad = await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["limit"] = 1000 });
            Assert.True(bad.IsError);
            Assert.Contains("limit", bad.Text());
            Assert.DoesNotContain(server.Stderr, l => l.Contains(Secret[6..], StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_chunked_body_over_the_limit_is_413_with_a_reason_and_no_stack_trace()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (server, _) = await Start(sandbox);
        await using (server)
        {
            using var http = new HttpClient();
            var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"a\":\"" + new string('x', 3 << 20) + "\"}")));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var request = new HttpRequestMessage(HttpMethod.Post, server.Url + "/webhooks/stripe") { Content = content };
            request.Headers.TransferEncodingChunked = true;
            request.Headers.TryAddWithoutValidation("Stripe-Signature", "t=1,v1=abc");
            var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("at most", await response.Content.ReadAsStringAsync());
            Assert.DoesNotContain(server.Stderr, l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Forged_tampered_stale_and_unsigned_deliveries_are_400_and_a_replay_is_acknowledged_and_kept_once()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (server, state) = await Start(sandbox, $"\"whsec_anotherSecretOfTheOperator\", \"{Secret}\"");
        await using (server)
        {
            var payload = Event(sandbox);
            var signed = Webhooks.Signature(Secret, payload, Now);

            var cases = new (string Why, string Payload, string? Signature)[]
            {
                ("wrong secret", payload, Webhooks.Signature("whsec_notTheOperatorsSecret00000", payload, Now)),
                ("tampered payload", payload.Replace("Signed", "Forged"), signed),
                ("stale timestamp", payload, Webhooks.Signature(Secret, payload, Now - 600)),
                ("no header", payload, null),
                ("garbage header", payload, "t=x,v1=y"),
            };
            foreach (var (why, body, signature) in cases)
            {
                var (status, answer) = await Post(server.Url, body, signature);
                Assert.True(status == HttpStatusCode.BadRequest, $"{why}: {status} {answer}");
            }
            Assert.Empty(await Kept(state));
            Assert.Contains(server.Stderr, l => l.Contains("webhook refused", StringComparison.Ordinal));

            var first = await Post(server.Url, payload, signed);
            Assert.Equal(HttpStatusCode.OK, first.Status);
            Assert.False(JsonDocument.Parse(first.Body).RootElement.GetProperty("duplicate").GetBoolean());
            var replay = await Post(server.Url, payload, Webhooks.Signature(Secret, payload, Now));
            Assert.Equal(HttpStatusCode.OK, replay.Status);
            Assert.True(JsonDocument.Parse(replay.Body).RootElement.GetProperty("duplicate").GetBoolean());
            Assert.Single(await Kept(state));
        }
    }

    [Fact]
    public async Task Without_a_configured_secret_the_receiver_refuses_everything_and_a_bad_secret_is_a_config_problem()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-webhooks-{Guid.NewGuid():N}", "state.db");
        await using (var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "events", "--state", state]))
        {
            var payload = Event(sandbox);
            var (status, body) = await Post(server.Url, payload, Webhooks.Signature(Secret, payload, Now));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("no webhook signing secret is configured", body);
        }
        var bad = await Commands.RunAsync("config", "validate", "--config", TestFiles.Config("""{ "webhooks": { "secrets": ["sk_test_notawebhooksecret"] } }"""), "--api-key", "sk_test_x");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("webhooks.secrets[0]", bad.Stdout + bad.Stderr);
        Assert.DoesNotContain("notawebhooksecret", bad.Stdout + bad.Stderr);
    }

    [Fact]
    public async Task End_to_end_a_trial_on_a_test_clock_ends_and_the_signed_invoice_paid_reaches_the_agent_through_the_receiver()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        var (server, _) = await Start(sandbox);
        await using (server)
        await using (var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp })))
        {
            var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(server.Url + "/webhooks/stripe")}&enabled_events[]=invoice.paid")["id"]!.GetValue<string>();
            lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = Secret;
            const long start = 1_798_761_600;
            var clock = sandbox.Execute("POST", "/v1/test_helpers/test_clocks", $"frozen_time={start}")["id"]!.GetValue<string>();
            var customer = sandbox.Execute("POST", "/v1/customers", $"name=Trial&test_clock={clock}&payment_method=pm_card_visa")["id"]!.GetValue<string>();
            var price = sandbox.Execute("POST", "/v1/prices", "product_data[name]=Plan&currency=usd&unit_amount=1200&recurring[interval]=month")["id"]!.GetValue<string>();
            sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=14");
            // The trial's $0 invoice is paid at once; the renewal after the trial is what this is about.
            await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Count(a => a.Delivered) == 1);
            sandbox.Execute("POST", $"/v1/test_helpers/test_clocks/{clock}/advance", $"frozen_time={start + 15 * 86400}");
            await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Count(a => a.Delivered) == 2);

            var received = await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["type"] = "invoice.paid" });
            var paid = received.Json().GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("object")).ToList();
            Assert.Equal(2, paid.Count);
            Assert.Equal(1200, paid[0].GetProperty("amount_paid").GetInt64()); // newest first: the renewal
            Assert.Equal("subscription_cycle", paid[0].GetProperty("billing_reason").GetString());
            Assert.Equal(0, paid[1].GetProperty("amount_paid").GetInt64());

            // The same story as a resource: the recent events the receiver kept, and one of them by id.
            var recent = JsonDocument.Parse(Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single((await client.ReadResourceAsync("stripe://events/recent")).Contents)).Text).RootElement;
            var renewal = recent.GetProperty("data").EnumerateArray().First(e => e.GetProperty("type").GetString() == "invoice.paid");
            Assert.Equal(1200, renewal.GetProperty("data").GetProperty("object").GetProperty("amount_paid").GetInt64());
            var one = JsonDocument.Parse(Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single((await client.ReadResourceAsync($"stripe://events/{renewal.GetProperty("id").GetString()}")).Contents)).Text).RootElement;
            Assert.Equal("invoice.paid", one.GetProperty("type").GetString());
        }
    }
}
