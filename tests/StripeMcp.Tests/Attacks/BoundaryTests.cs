using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>Calls that end in unusual ways still end with one clear answer, one audit event, and money counted when it may have moved.</summary>
public sealed class BoundaryTests
{
    private static int AuditLines(TestServer s, string tool, string outcome) =>
        s.Stderr.Count(l => l.Contains($" audit {tool} {outcome} "));

    [Fact]
    public async Task A_call_the_client_cancels_while_Stripe_holds_it_is_audited_with_its_key_and_its_amount_stays_counted()
    {
        var faults = new FaultOptions { Stall = TimeSpan.FromSeconds(3) };
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Faults = faults });
        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=20000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();
        var config = TestFiles.Config("""
            { "toolsets": ["all"], "confirm": { "create_refund": "off" },
              "limits": { "refunds": { "maxTotal": { "usd": 15000 }, "window": "24h" } } }
            """);
        // The SDK's client does not send notifications/cancelled for a cancelled token, so speak JSON-RPC directly.
        await using var s = RawStdio.Start(["--api-key", "sk_test_cancel", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--max-network-retries", "0"]);
        var stderr = s.Stderr;
        Task Send(string json) => s.SendAsync(json);
        await Send("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        await s.AnswerTo("1");
        await Send("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");

        // The limit check's GETs pass (the payment intent, its charge, and the account behind the key, which
        // scopes the totals); the POST stalls, and the client gives up on it.
        faults.Script(Fault.None, Fault.None, Fault.None, Fault.Stall);
        await Send("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_refund","arguments":{"payment_intent":"PI","amount":10000}}}""".Replace("PI", pi));
        await Eventually.True(() => sandbox.Counters.Faults == 1); // the POST is held (not a fixed delay: a busy machine is slower)
        await Send("""{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":2,"reason":"the user gave up"}}""");

        await Eventually.True(() => stderr.Count(l => l.Contains(" audit create_refund cancelled ")) == 1);
        var line = stderr.Single(l => l.Contains(" audit create_refund cancelled "));
        Assert.Matches("idempotency_key=stripe-mcp-[0-9a-f]{32}", line);
        Assert.Contains("while Stripe held the request", line);

        // The refund may have landed: its 10,000 still count, so 6,000 more is over the 15,000 total.
        await Send("""{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_refund","arguments":{"payment_intent":"PI","amount":6000}}}""".Replace("PI", pi));
        Assert.Contains("limits.refunds.maxTotal.usd", (await s.AnswerTo("3")).GetRawText());
        Assert.Equal(0, await s.ExitCode());
    }

    /// <summary>A client on the older protocol answers elicitation itself; here its handler fails or talks nonsense.</summary>
    private static McpClientOptions Human(Func<ElicitResult> answer) => new()
    {
        ProtocolVersion = "2025-11-25",
        Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(answer()) },
    };

    [Fact]
    public async Task A_confirmation_the_client_answers_with_an_error_is_refused_clearly_and_nothing_is_sent()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--tools", "all"],
            client: Human(() => throw new InvalidOperationException("the dialog crashed")));
        var error = (await server.CallAsync("delete_customer", """{"customer":"cus_1"}""")).Error();
        Assert.Equal("confirmation_failed", error.GetProperty("type").GetString());
        Assert.Contains("nothing was sent", error.GetProperty("message").GetString());
        Assert.Empty(stripe.Requests);
        await Eventually.True(() => AuditLines(server, "delete_customer", "denied") == 1);
    }

    [Fact]
    public async Task A_confirmation_answered_with_nonsense_is_a_decline()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--tools", "all"],
            client: Human(() => new ElicitResult { Action = "maybe later" }));
        var error = (await server.CallAsync("delete_customer", """{"customer":"cus_1"}""")).Error();
        Assert.Equal("declined", error.GetProperty("type").GetString());
        Assert.Empty(stripe.Requests);
        await Eventually.True(() => AuditLines(server, "delete_customer", "declined") == 1);
    }

    [Fact]
    public async Task A_refused_five_MiB_argument_leaves_a_short_audit_line_that_says_it_was_cut()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        var huge = new string('x', 5 * 1024 * 1024);
        var error = (await server.Client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["description"] = huge })).Error();
        Assert.Equal("invalid_arguments", error.GetProperty("type").GetString());
        Assert.Empty(stripe.Requests);
        await Eventually.True(() => AuditLines(server, "create_customer", "invalid_arguments") == 1);
        var line = server.Stderr.Single(l => l.Contains(" audit create_customer invalid_arguments "));
        Assert.True(line.Length < 5000, $"the audit line is {line.Length:N0} characters");
        Assert.Contains("cut: 5,242,880 characters in all", line);
    }

    [Fact]
    public async Task Over_stdio_a_call_that_Stripe_never_answers_ends_at_requestTimeoutSeconds()
    {
        var faults = new FaultOptions { Stall = TimeSpan.FromSeconds(20) };
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Faults = faults });
        var config = TestFiles.Config("""{ "toolsets": ["all"], "http": { "requestTimeoutSeconds": 2 } }""");
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_slow", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--max-network-retries", "0"]);
        faults.Script(Fault.Stall);
        var started = DateTime.UtcNow;
        var error = (await server.CallAsync("create_customer", """{"name":"Slow"}""")).Error();
        Assert.Equal("network_error", error.GetProperty("type").GetString());
        Assert.Contains("timed out", error.GetProperty("message").GetString());
        Assert.StartsWith("stripe-mcp-", error.GetProperty("idempotency_key").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(15), "the call was not bounded by requestTimeoutSeconds");
    }
}
