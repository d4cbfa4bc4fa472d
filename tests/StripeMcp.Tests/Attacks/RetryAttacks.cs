using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// Retries with one idempotency key against an upstream that applies each anew (never replays): found by an outside
/// attack passing maxTotal by sending them at once. Each is held against the totals, the first try counted while it is
/// in flight, so no more go out than the total allows.
/// </summary>
public sealed class RetryAttacks
{
    [Fact]
    public async Task Concurrent_retries_of_one_key_that_are_applied_anew_cannot_pass_the_total()
    {
        await using var stripe = await MoneyStandIn.StartAsync();
        var config = TestFiles.Config("""
            { "toolsets": ["all"], "limits": { "refunds": { "maxAmount": { "usd": 10000 }, "maxTotal": { "usd": 15000 }, "window": "24h" } } }
            """);
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, Host = "127.0.0.1", ApiKey = "sk_test_retries", StripeApiBase = stripe.BaseUrl,
            State = Path.Combine(Path.GetTempPath(), $"stripe-mcp-retries-{Guid.NewGuid():N}", "state.db") }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        await using var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));

        var args = new Dictionary<string, object?> { ["charge"] = "ch_base", ["amount"] = 7500, ["idempotency_key"] = "kc" };
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => client.CallToolAsync("create_refund", args).AsTask()));
        var sent = stripe.Writes.Count(w => w.StartsWith("POST /v1/refunds", StringComparison.Ordinal));
        Assert.True(sent * 7500 <= 15000, $"{sent} refunds of 7,500 were sent against a total of 15,000");
        Assert.Equal(2, sent); // the first try and one retry fit; the rest are refused
        Assert.Equal(sent, results.Count(r => r.IsError != true));
        // And one after another: the same.
        var more = await client.CallToolAsync("create_refund", args);
        Assert.True(more.IsError, more.Text());
        Assert.Contains("maxTotal", more.Text());
    }
}
