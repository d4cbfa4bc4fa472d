using ModelContextProtocol.Client;
using System.Text.Json;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

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
        await using var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_receiver", "--stripe-api-base", sandbox.BaseUrl, "--config", config,
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
