using System.Net;
using ModelContextProtocol.Client;
using System.Text;
using System.Text.Json;
using StripeMcp.Sandbox;
using StripeMcp.State;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The server's receiver (HTTP mode, POST /webhooks/stripe): Stripe's deliveries, authenticated by their
/// signature alone, kept once in the state store's event log; anything unsigned or forged is 400, nothing kept.
/// </summary>
public sealed class WebhookReceiverTests
{
    private const string Secret = "whsec_receiverTestSecret0123456789";

    private static async Task<(HttpServerProcess Server, string State)> Start(Sandbox.Sandbox sandbox, string? secrets = null)
    {
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-webhooks-{Guid.NewGuid():N}", "state.db");
        var config = TestFiles.Config($$"""{ "toolsets": ["events"], "webhooks": { "secrets": [{{secrets ?? $"\"{Secret}\""}}] } }""");
        var server = await HttpServerProcess.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--state", state]);
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
        await using (var server = await HttpServerProcess.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "events", "--state", state]))
        {
            var payload = Event(sandbox);
            var (status, body) = await Post(server.Url, payload, Webhooks.Signature(Secret, payload, Now));
            Assert.Equal(HttpStatusCode.NotFound, status);
            Assert.Contains("no webhook signing secret is configured", body);
        }
        var bad = await CliTests.RunAsync("config", "validate", "--config", TestFiles.Config("""{ "webhooks": { "secrets": ["sk_test_notawebhooksecret"] } }"""), "--api-key", "sk_test_x");
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

/// <summary>A declined renewal end to end: the sandbox's signed deliveries reach the receiver, the agent reads them as a resource and a tool.</summary>
public sealed class DeclinedRenewalThroughReceiverTests
{
    private const string Secret = "whsec_declinedRenewal0123456789ab";
    private const long Day = 86400, Start = 1_798_761_600;

    [Fact]
    public async Task A_declined_renewal_reaches_the_agent_as_payment_failed_past_due_then_deleted_after_the_retries()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(100)] });
        var config = TestFiles.Config($$"""{ "toolsets": ["events"], "webhooks": { "secrets": ["{{Secret}}"] } }""");
        await using var server = await HttpServerProcess.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--config", config,
            "--state", Path.Combine(Path.GetTempPath(), $"stripe-mcp-declined-{Guid.NewGuid():N}", "state.db"), "--stateful"]);
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(server.Url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }),
            new McpClientOptions { ProtocolVersion = "2025-11-25" });
        var updates = 0;
        await using var subscription = await client.SubscribeToResourceAsync("stripe://events/recent", (_, _) => { Interlocked.Increment(ref updates); return ValueTask.CompletedTask; });

        var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(server.Url + "/webhooks/stripe")}" +
            "&enabled_events[]=invoice.payment_failed&enabled_events[]=customer.subscription.updated&enabled_events[]=customer.subscription.deleted")["id"]!.GetValue<string>();
        lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = Secret;
        var clock = sandbox.Execute("POST", "/v1/test_helpers/test_clocks", $"frozen_time={Start}")["id"]!.GetValue<string>();
        var customer = sandbox.Execute("POST", "/v1/customers", $"name=Declining&test_clock={clock}&payment_method=pm_card_visa")["id"]!.GetValue<string>();
        var price = sandbox.Execute("POST", "/v1/prices", "product_data[name]=Plan&currency=usd&unit_amount=2500&recurring[interval]=month")["id"]!.GetValue<string>();
        var sub = sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}")["id"]!.GetValue<string>();
        sandbox.Execute("POST", "/v1/payment_methods/pm_card_chargeDeclinedInsufficientFunds/attach", $"customer={customer}");
        var renewal = DateTimeOffset.FromUnixTimeSeconds(Start).AddMonths(1).ToUnixTimeSeconds();
        foreach (var days in new[] { 1, 4, 9, 20 }) // the renewal, then the retries on days 3, 8 and 15
            sandbox.Execute("POST", $"/v1/test_helpers/test_clocks/{clock}/advance", $"frozen_time={renewal + days * Day}");

        async Task<List<JsonElement>> Received(string type)
        {
            var r = await client.CallToolAsync("list_received_events", new Dictionary<string, object?> { ["type"] = type, ["limit"] = 100 });
            return [.. r.Json().GetProperty("data").EnumerateArray().Select(e => e.GetProperty("data").GetProperty("object").Clone())];
        }
        // Deliveries are made in parallel and in no promised order: wait until each event the sandbox emitted for the endpoint is delivered.
        int Emitted() => new[] { "invoice.payment_failed", "customer.subscription.updated", "customer.subscription.deleted" }
            .Sum(t => sandbox.Execute("GET", "/v1/events", $"type={t}&limit=100")["data"]!.AsArray().Count);
        await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Count(a => a.Delivered) == Emitted());
        var failed = await Received("invoice.payment_failed");
        Assert.Equal([1, 2, 3, 4], failed.Select(i => i.GetProperty("attempt_count").GetInt64()).Order()); // Stripe does not promise delivery order, nor does the sandbox
        Assert.All(failed, i => Assert.Equal(2500, i.GetProperty("amount_due").GetInt64()));
        var statuses = (await Received("customer.subscription.updated")).Select(o => o.GetProperty("status").GetString()).ToList();
        Assert.Contains("past_due", statuses);
        var deleted = Assert.Single(await Received("customer.subscription.deleted"));
        Assert.Equal(sub, deleted.GetProperty("id").GetString());
        Assert.Equal("payment_failed", deleted.GetProperty("cancellation_details").GetProperty("reason").GetString());

        // The subscriber was told, and the resource holds the same story.
        await Eventually.True(() => Volatile.Read(ref updates) > 0);
        var recent = JsonDocument.Parse(Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single((await client.ReadResourceAsync("stripe://events/recent")).Contents)).Text).RootElement;
        Assert.Contains(recent.GetProperty("data").EnumerateArray(), e => e.GetProperty("type").GetString() == "customer.subscription.deleted");
    }
}

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
        await using (var server = await HttpServerProcess.StartAsync(args))
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
        await using var server = await HttpServerProcess.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "events", "--stripe-account", account, "--state", state]);
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
        await using (var server = await HttpServerProcess.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--tools", "events.read", "--state", state]))
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
        await using var down = await HttpServerProcess.StartAsync(["--api-key", "sk_test_kept", "--stripe-api-base", sandbox.BaseUrl, "--config", config],
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

public sealed class StateFileModeTests
{
    [Fact]
    public async Task A_new_state_file_and_its_folder_are_readable_by_their_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(Path.GetTempPath(), $"stripe-mcp-mode-{Guid.NewGuid():N}", "state");
        var state = Path.Combine(folder, "state.db");
        await using (var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None))
            await store.KeepWebhookSecretAsync(new KeptSecret("we_1Mode", "http://127.0.0.1:1/webhooks/stripe", "whsec_modeModeMode0123456789", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        foreach (var file in Directory.GetFiles(folder))
            Assert.True((File.GetUnixFileMode(file) & others) == 0, $"{file}: {File.GetUnixFileMode(file)}");

        // A file from before (readable by others) is made the owner's alone when it is opened.
        File.SetUnixFileMode(state, File.GetUnixFileMode(state) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (await SqliteStateStore.OpenAsync(state, CancellationToken.None)) { }
        Assert.True((File.GetUnixFileMode(state) & others) == 0, $"{File.GetUnixFileMode(state)}");
    }
}
