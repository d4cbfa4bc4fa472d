using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.Client;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class HttpLifecycleTests
{
    private static WebApplication Build(string apiBase, bool stateful = false, string host = "127.0.0.1", string? tokens = null, string? config = null)
    {
        var result = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, Host = host, ApiKey = "sk_test_life", StripeApiBase = apiBase, Tools = "all", Stateful = stateful },
            name => name == EnvVars.HttpTokens ? tokens : null);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        return StripeMcp.Http.HttpServer.Build(result.Options, Hosting.Logging.Create(Serilog.Events.LogEventLevel.Warning, Console.Error));
    }

    [Fact]
    public void Binding_beyond_loopback_without_a_token_does_not_start()
    {
        var result = OptionsLoader.Load(new CommandLineInputs { Http = true, Host = "0.0.0.0", ApiKey = "sk_test_x", Tools = "all" }, _ => null);
        Assert.Contains(result.Problems, p => p.Contains("--host 0.0.0.0: serving beyond loopback needs at least one bearer token"));
        var withToken = OptionsLoader.Load(new CommandLineInputs { Http = true, Host = "0.0.0.0", ApiKey = "sk_test_x", Tools = "all" }, n => n == EnvVars.HttpTokens ? "t1,t2" : null);
        Assert.True(withToken.Ok);
        Assert.Equal(2, withToken.Options.Http.Tokens.Count);
    }

    [Fact]
    public void Plain_tokens_in_the_file_and_widening_tokens_are_refused()
    {
        var config = Path.Combine(Path.GetTempPath(), $"stripe-mcp-http-bad-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, """
            { "context": { "account": "acct_1Fixed" },
              "http": { "tokens": [ { "name": "a", "token": "plain" }, { "name": "b", "sha256": "abc" }, { "name": "c", "sha256": "{{H}}", "account": "acct_1Other" },
                                   { "name": "d", "sha256": "{{H}}", "readOnly": "true" } ] } }
            """.Replace("{{H}}", HttpFixture.Hash("x")));
        var problems = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Tools = "all" }, _ => null).Problems;
        Assert.Contains(problems, p => p.Contains("tokens[0].token: tokens are never stored in plain text"));
        Assert.Contains(problems, p => p.Contains("tokens[1].sha256: must be the 64 hex digits"));
        Assert.Contains(problems, p => p.Contains("acct_1Other would widen the server's fixed account acct_1Fixed"));
        Assert.Contains(problems, p => p.Contains("tokens[3].readOnly: must be true or false"));
    }

    [Fact]
    public async Task Stateful_mode_serves_the_SDK_client_with_a_session()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var app = Build(sandbox.BaseUrl, stateful: true);
        await app.StartAsync();
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }), TestServer.Human("accept", "2025-11-25"));
        Assert.NotNull(client.SessionId); // an initialize client's session (a 2026-07-28 client has none)
        var balance = await client.CallToolAsync("retrieve_balance");
        Assert.False(balance.IsError ?? false);
        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=1000&currency=usd")["id"]!.GetValue<string>();
        var canceled = await client.CallToolAsync("cancel_payment_intent", new Dictionary<string, object?> { ["payment_intent"] = pi });
        Assert.False(canceled.IsError ?? false, JsonSerializer.Serialize(canceled.Content));
        Assert.Equal("canceled", sandbox.Execute("GET", $"/v1/payment_intents/{pi}")["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false, null, true)]          // stateless, the SDK's newest protocol: asked through input-required results
    [InlineData(false, "2025-11-25", false)] // stateless, an older protocol: cannot be asked, and told why and what works
    [InlineData(true, "2025-11-25", true)]   // stateful, an older protocol: asked through elicitation
    public async Task A_confirmation_over_HTTP_is_asked_where_the_transport_can_and_otherwise_says_why_not(bool stateful, string? protocol, bool asked)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var app = Build(sandbox.BaseUrl, stateful: stateful);
        await app.StartAsync();
        var questions = 0;
        var human = new McpClientOptions
        {
            ProtocolVersion = protocol,
            Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => { Interlocked.Increment(ref questions); return ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = "accept" }); } },
        };
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }), human);
        var customer = sandbox.Execute("POST", "/v1/customers", "name=Doomed")["id"]!.GetValue<string>();
        var result = await client.CallToolAsync("delete_customer", new Dictionary<string, object?> { ["customer"] = customer });
        if (asked)
        {
            Assert.False(result.IsError ?? false, JsonSerializer.Serialize(result.Content));
            Assert.Equal(1, questions);
            Assert.True(sandbox.Execute("GET", $"/v1/customers/{customer}")["deleted"]?.GetValue<bool>() ?? false);
            return;
        }
        var error = result.Error();
        Assert.Equal("confirmation_unavailable", error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains("stateless HTTP, which cannot send the client a request", message);
        Assert.Contains("(2025-11-25)", message);
        Assert.Contains("--stateful", message);
        Assert.DoesNotContain("no elicitation support", message);
        Assert.Equal(0, questions);
        Assert.Null(sandbox.Execute("GET", $"/v1/customers/{customer}")["deleted"]);
    }

    [Fact]
    public async Task A_call_over_the_request_timeout_answers_that_it_timed_out_with_its_idempotency_key()
    {
        var faults = new FaultOptions { Stall = TimeSpan.FromSeconds(10) };
        faults.Script(Fault.Stall);
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Faults = faults });
        await using var app = Build(sandbox.BaseUrl, config: TestFiles.Config("""{ "http": { "requestTimeoutSeconds": 1 } }"""));
        await app.StartAsync();
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Slow" });
        Assert.InRange(watch.Elapsed.TotalSeconds, 0.9, 5);
        var error = result.Error();
        Assert.Equal("network_error", error.GetProperty("type").GetString());
        Assert.Contains("the request timed out", error.GetProperty("message").GetString());
        Assert.StartsWith("stripe-mcp-", error.GetProperty("idempotency_key").GetString());
    }

    [Fact]
    public async Task Shutdown_lets_an_in_flight_call_finish_and_refuses_new_ones()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        sandbox.Faults.Stall = TimeSpan.FromMilliseconds(1500);
        var app = Build(sandbox.BaseUrl);
        await app.StartAsync();
        var url = app.Urls.First();
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(url + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
        sandbox.Faults.Script(Fault.Stall);

        var inFlight = client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Finishes" }).AsTask();
        await Task.Delay(300);
        var stopping = app.StopAsync();
        await Task.Delay(100);
        using var http = new HttpClient();
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            var r = await http.PostAsync(url + "/mcp", new StringContent("{}", Encoding.UTF8, "application/json"));
            r.EnsureSuccessStatusCode();
        });
        var result = await inFlight;
        Assert.False(result.IsError ?? false);
        await stopping;
        await app.DisposeAsync();
        Assert.Single(sandbox.Execute("GET", "/v1/customers")["data"]!.AsArray());
    }
}
