using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// Two HTTP callers (static tokens) never share idempotency keys: the same key from both is two calls at Stripe
/// (each its own Idempotency-Key, so one never gets the other's stored answer), other arguments under the same key
/// are no conflict, and neither is told what the other used its key for.
/// </summary>
public sealed class CallerKeyTests
{
    private const string Alice = "alice-token-0123456789", Bob = "bob-token-0123456789";

    [Fact]
    public async Task The_same_idempotency_key_from_two_tokens_is_two_calls_and_neither_sees_the_other()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config($$"""
            { "toolsets": ["all"],
              "http": { "tokens": [ { "name": "alice", "sha256": "{{HttpFixture.Hash(Alice)}}" }, { "name": "bob", "sha256": "{{HttpFixture.Hash(Bob)}}" } ] } }
            """);
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, ApiKey = TestServer.TestKey, StripeApiBase = stripe.BaseUrl }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        await using var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        Task<McpClient> As(string token) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(app.Urls.First() + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
        }));
        await using var alice = await As(Alice);
        await using var bob = await As(Bob);
        var args = new Dictionary<string, object?> { ["name"] = "Ada", ["idempotency_key"] = "order-42" };

        stripe.Enqueue(new Scripted(200, """{"id":"cus_alice","object":"customer"}"""), new Scripted(200, """{"id":"cus_bob","object":"customer"}"""));
        Assert.False((await alice.CallToolAsync("create_customer", args)).IsError ?? false);
        Assert.False((await bob.CallToolAsync("create_customer", args)).IsError ?? false);
        var keys = stripe.Requests.Where(r => r.Method == "POST").Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Count);
        Assert.NotEqual(keys[0], keys[1]);
        Assert.All(keys, k => Assert.EndsWith("-order-42", k));

        // Other arguments under the same key: Bob is refused for his own first use only; Alice's is not his business.
        var conflict = await bob.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Other", ["idempotency_key"] = "order-42" });
        Assert.True(conflict.IsError);
        Assert.Contains("this tool with other arguments", conflict.Text());
        stripe.Enqueue(new Scripted(200, """{"id":"in_carol","object":"invoice"}"""));
        var fresh = await alice.CallToolAsync("create_invoice", new Dictionary<string, object?> { ["customer"] = "cus_alice", ["idempotency_key"] = "bob-only-key" });
        Assert.False(fresh.IsError ?? false, fresh.Text());
        var reused = await bob.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Bob", ["idempotency_key"] = "bob-only-key" });
        Assert.DoesNotContain("create_invoice", reused.Text());
    }
}
