using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class LiveKeyTests
{
    [Fact]
    public async Task A_live_key_is_refused_without_allow_live_and_says_why()
    {
        var run = await CliTests.RunAsync("--api-key", "rk_live_abcdef123456", "--tools", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("live key (rk_live_…)", run.Stderr);
        Assert.Contains("--allow-live", run.Stderr);
        Assert.Contains("restricted key", run.Stderr);
        Assert.DoesNotContain("abcdef123456", run.Stderr);
    }

    [Fact]
    public async Task With_allow_live_the_start_up_line_names_live_mode_and_the_tool_count_and_sk_keys_get_advice()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(["--api-key", "sk_live_abcdef123456", "--allow-live", "--stripe-api-base", stripe.BaseUrl, "--toolsets", "customers"]);
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("LIVE mode (sk_live_…)") && l.Contains("6 tools enabled")));
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("Prefer a restricted key (rk_…)")));
        Assert.DoesNotContain(server.Stderr, l => l.Contains("abcdef123456"));
    }
}

public sealed class UnverifiableLimitTests
{
    [Fact]
    public async Task A_price_without_a_fixed_unit_amount_is_refused_when_limits_apply()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "toolsets": ["all"], "limits": { "create_payment_link": { "maxAmount": { "usd": 50000 } } } }""");
        await using var server = await ServerProcess.StartAsync(stripe, "--config", config);
        stripe.Enqueue(new Scripted(200, """{"id":"price_tiered","object":"price","currency":"usd","billing_scheme":"tiered","unit_amount":null}"""));
        var error = (await server.CallAsync("create_payment_link", """{"line_items":[{"price":"price_tiered","quantity":2}]}""")).Error();
        Assert.Equal("limit_unverifiable", error.GetProperty("type").GetString());
        Assert.Contains("price price_tiered has no fixed unit_amount", error.GetProperty("message").GetString());
        Assert.Equal(["GET /v1/prices/price_tiered"], stripe.Requests.Select(r => $"{r.Method} {r.Path}"));
    }
}

public sealed class LimitTests : IAsyncLifetime
{
    private Sandbox.Sandbox _sandbox = null!;
    private ServerProcess _server = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""
            {
              "toolsets": ["all"],
              "confirm": { "create_refund": "off" },
              "limits": {
                "currencies": ["usd", "eur"],
                "refunds": { "maxAmount": { "usd": 10000 }, "maxTotal": { "usd": 15000 }, "window": "24h" },
                "create_payment_link": { "maxAmount": { "usd": 50000 } },
                "transfers": { "maxAmount": { "usd": 1000, "eur": 1000 } }
              }
            }
            """);
        _server = await ServerProcess.StartAsync(["--api-key", "sk_test_limits", "--stripe-api-base", _sandbox.BaseUrl, "--config", config]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private string PaymentIntent(long amount, string currency = "usd") =>
        _sandbox.Execute("POST", "/v1/payment_intents", $"amount={amount}&currency={currency}&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    [Fact]
    public async Task A_refund_over_maxAmount_is_refused_naming_the_limit_and_nothing_is_refunded()
    {
        var pi = PaymentIntent(30000);
        var error = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":12000}""")).Error();
        Assert.Equal("limit_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("limits.refunds.maxAmount.usd", error.GetProperty("limit").GetString());
        Assert.Equal(10000, error.GetProperty("limit_value").GetInt64());
        Assert.Equal(12000, error.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.Contains("nothing was sent", error.GetProperty("message").GetString());
        Assert.Empty(_sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray());

        // Without an amount the whole charge would be refunded: the limit sees that amount too.
        var whole = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}"}""")).Error();
        Assert.Equal(30000, whole.GetProperty("asked").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_rolling_total_holds_across_calls()
    {
        var pi = PaymentIntent(40000);
        Assert.False((await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":9000}""")).IsError ?? false);
        var second = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":7000}""")).Error();
        Assert.Equal("limits.refunds.maxTotal.usd", second.GetProperty("limit").GetString());
        Assert.Contains("counted across restarts and by every server sharing this state", second.GetProperty("message").GetString());
        Assert.False((await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":6000}""")).IsError ?? false);
        Assert.Equal(2, _sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray().Count);
    }


    [Fact]
    public async Task Payment_link_line_items_are_summed_and_currencies_are_allowed_or_not()
    {
        var product = _sandbox.Execute("POST", "/v1/products", "name=Limited")["id"]!.GetValue<string>();
        var price = _sandbox.Execute("POST", "/v1/prices", $"product={product}&unit_amount=20000&currency=usd")["id"]!.GetValue<string>();
        var over = (await _server.CallAsync("create_payment_link", $$"""{"line_items":[{"price":"{{price}}","quantity":3}]}""")).Error();
        Assert.Equal("limits.create_payment_link.maxAmount.usd", over.GetProperty("limit").GetString());
        Assert.Equal(60000, over.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.False((await _server.CallAsync("create_payment_link", $$"""{"line_items":[{"price":"{{price}}","quantity":2}]}""")).IsError ?? false);

        var gbp = (await _server.CallAsync("create_payment_intent", """{"amount":1000,"currency":"gbp"}""")).Error();
        Assert.Equal("limits.currencies", gbp.GetProperty("limit").GetString());
        Assert.DoesNotContain(_sandbox.Execute("GET", "/v1/payment_intents", "limit=100")["data"]!.AsArray(), p => p!["currency"]!.GetValue<string>() == "gbp");
        var transfer = (await _server.CallAsync("create_transfer", """{"amount":5000,"currency":"eur","destination":"acct_1Whoever"}""")).Error();
        Assert.Equal("limits.transfers.maxAmount.eur", transfer.GetProperty("limit").GetString());
    }

    [Fact]
    public void Limits_config_is_validated_with_paths()
    {
        var problems = OptionsLoader.Load(new CommandLineInputs
        {
            Config = TestFiles.Config("""{ "limits": { "customers": {}, "refundz": {}, "refunds": { "maxTotal": { "usd": 5 }, "maxAmount": { "USD": -1 } }, "currencies": ["usd", "US Dollar"] } }"""),
        }, _ => null).Problems;
        Assert.Contains(problems, p => p.Contains("$.limits.customers: customers moves no money"));
        Assert.Contains(problems, p => p.Contains("$.limits.refundz: unknown resource or tool \"refundz\" (did you mean \"refunds\"?)"));
        Assert.Contains(problems, p => p.Contains("$.limits.refunds.window: is required with maxTotal"));
        Assert.Contains(problems, p => p.Contains("$.limits.refunds.maxAmount.USD: \"USD\" is not a lowercase three-letter currency code"));
        Assert.Contains(problems, p => p.Contains("$.limits.currencies: \"US Dollar\" is not a lowercase three-letter currency code"));
    }
}

public sealed class ConfirmationTests
{
    private static async Task<(Sandbox.Sandbox Sandbox, string Sub)> SandboxWithSubscription()
    {
        var sandbox = await Sandbox.Sandbox.StartAsync();
        var cus = sandbox.Execute("POST", "/v1/customers", "name=C&payment_method=pm_card_visa")["id"]!.GetValue<string>();
        var prod = sandbox.Execute("POST", "/v1/products", "name=P")["id"]!.GetValue<string>();
        var price = sandbox.Execute("POST", "/v1/prices", $"product={prod}&unit_amount=1000&currency=usd&recurring[interval]=month")["id"]!.GetValue<string>();
        var sub = sandbox.Execute("POST", "/v1/subscriptions", $"customer={cus}&items[0][price]={price}")["id"]!.GetValue<string>();
        return (sandbox, sub);
    }

    private static string Status(Sandbox.Sandbox s, string sub) => s.Execute("GET", $"/v1/subscriptions/{sub}")["status"]!.GetValue<string>();

    [Theory]
    [InlineData("accept", false, "canceled")]
    [InlineData("decline", true, "active")]
    [InlineData("cancel", true, "active")]
    public async Task A_destructive_tool_asks_the_human_first_over_stdio(string answer, bool isError, string status)
    {
        var (sandbox, sub) = await SandboxWithSubscription();
        await using (sandbox)
        {
            var asked = new ConcurrentQueue<string>();
            var options = new McpClientOptions
            {
                Handlers = new McpClientHandlers
                {
                    ElicitationHandler = (p, _) => { asked.Enqueue(p!.Message); return ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = answer }); },
                },
            };
            await using var server = await ServerProcess.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all"], client: options);
            var result = await server.CallAsync("cancel_subscription", $$"""{"subscription":"{{sub}}"}""");

            Assert.Equal(isError, result.IsError ?? false);
            var question = Assert.Single(asked);
            Assert.Contains($"Cancel subscription: subscription {sub}", question);
            Assert.Contains("on the platform account", question);
            if (isError) Assert.Contains("declined by the user; nothing was sent", result.Text());
            Assert.Equal(status, Status(sandbox, sub));
        }
    }

    [Fact]
    public async Task The_classic_elicitation_route_works_when_the_client_pins_an_older_protocol()
    {
        var (sandbox, sub) = await SandboxWithSubscription();
        await using (sandbox)
        {
            var options = ServerProcess.Human("accept");
            options.ProtocolVersion = "2025-11-25";
            await using var server = await ServerProcess.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all"], client: options);
            Assert.False((await server.CallAsync("cancel_subscription", $$"""{"subscription":"{{sub}}"}""")).IsError ?? false);
            Assert.Equal("canceled", Status(sandbox, sub));
        }
    }

    [Fact]
    public async Task A_client_that_cannot_ask_is_refused_with_how_to_allow_it_and_confirm_off_skips_the_question()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var mute = await ServerProcess.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", stripe.BaseUrl, "--tools", "all"], client: ServerProcess.Human(null));
        stripe.Reset();
        var refused = (await mute.CallAsync("void_invoice", """{"invoice":"in_1"}""")).Error();
        Assert.Equal("confirmation_unavailable", refused.GetProperty("type").GetString());
        Assert.Contains("\"confirm\": {\"void_invoice\": \"off\"}", refused.GetProperty("message").GetString());
        Assert.Empty(stripe.Requests);

        var config = TestFiles.Config("""{ "toolsets": ["all"], "confirm": { "void_invoice": "off", "create_refund": "on" } }""");
        await using var off = await ServerProcess.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", stripe.BaseUrl, "--config", config], client: ServerProcess.Human(null));
        Assert.False((await off.CallAsync("void_invoice", """{"invoice":"in_1"}""")).IsError ?? false);
        Assert.Equal("confirmation_unavailable", (await off.CallAsync("create_refund", """{"charge":"ch_1"}""")).Error().GetProperty("type").GetString());
    }
}

public sealed class DryRunTests
{
    [Fact]
    public async Task Mutating_tools_return_the_request_they_would_send_and_read_tools_run()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await ServerProcess.StartAsync(stripe, "--tools", "all", "--dry-run", "--stripe-account", "acct_1Dry");
        stripe.Reset();

        var result = await server.CallAsync("create_refund", """{"payment_intent":"pi_1","amount":500,"reason":"requested_by_customer"}""");
        Assert.False(result.IsError ?? false, result.Text());
        var plan = result.Json();
        Assert.True(plan.GetProperty("dry_run").GetBoolean());
        Assert.Equal("POST", plan.GetProperty("method").GetString());
        Assert.Equal("/v1/refunds", plan.GetProperty("path").GetString());
        Assert.Equal("payment_intent=pi_1&amount=500&reason=requested_by_customer", plan.GetProperty("body").GetString());
        Assert.Equal(500, plan.GetProperty("params").GetProperty("amount").GetInt64());
        Assert.Equal("acct_1Dry", plan.GetProperty("account").GetString());
        Assert.StartsWith("stripe-mcp-", plan.GetProperty("idempotency_key").GetString());
        var destructive = await server.CallAsync("cancel_subscription", """{"subscription":"sub_1"}""");
        Assert.True(destructive.Json().GetProperty("dry_run").GetBoolean());
        Assert.Empty(stripe.Requests);

        await server.CallAsync("list_customers");
        Assert.Single(stripe.Requests);
    }
}

public sealed partial class AuditTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Every_outcome_leaves_one_audit_line_with_masked_arguments()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var audit = Path.Combine(Path.GetTempPath(), $"stripe-mcp-audit-{Guid.NewGuid():N}.jsonl");
        var config = TestFiles.Config("""
            { "toolsets": ["all"], "context": { "accounts": ["acct_1Allowed"] },
              "limits": { "transfers": { "maxAmount": { "usd": 100 } } }, "confirm": { "create_customer": "on" } }
            """);
        var answers = new ConcurrentQueue<string>(["accept", "decline"]);
        var options = new McpClientOptions
        {
            Handlers = new McpClientHandlers { ElicitationHandler = (_, _) => ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = answers.TryDequeue(out var a) ? a : "accept" }) },
        };
        await using (var server = await ServerProcess.StartAsync(["--api-key", "sk_test_audit", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--audit-log", audit], client: options))
        {
            await server.CallAsync("create_customer", """{"email":"jenny.rosen@example.com","description":"card 4242 4242 4242 4242"}"""); // ok (accepted)
            await server.CallAsync("create_customer", """{"name":"Declined"}""");                                                          // declined
            await server.CallAsync("retrieve_customer", """{"customer":"cus_missing"}""");                                               // stripe_error
            await server.CallAsync("create_price", """{"product":"prod_1"}""");                                                          // invalid_arguments
            await server.CallAsync("create_transfer", """{"amount":500,"currency":"usd","destination":"acct_1Allowed"}""");                    // limit_exceeded
            await server.CallAsync("list_customers", """{"account":"acct_1Other"}""");                                                   // denied
            // The server's own log (stderr) carries the audit events too.
            await Eventually.True(() => server.Stderr.Any(l => l.Contains("StripeMcp.Audit: audit create_customer ok account=platform")));
        }
        await using (var offline = await ServerProcess.StartAsync(["--api-key", "sk_test_audit", "--stripe-api-base", FakeStripe.DeadUrl(), "--tools", "all", "--max-network-retries", "0", "--audit-log", audit]))
            await offline.CallAsync("retrieve_balance");                                                                                   // network_error

        // The file is the one named, not one with a date glued into its name.
        Assert.Equal([audit], Directory.GetFiles(Path.GetDirectoryName(audit)!, Path.GetFileNameWithoutExtension(audit) + "*"));
        var lines = (await File.ReadAllLinesAsync(audit)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["ok", "declined", "stripe_error", "invalid_arguments", "limit_exceeded", "denied", "network_error"], lines.Select(l => l.GetProperty("Outcome").GetString()));
        var ok = lines[0];
        Assert.Equal("create_customer", ok.GetProperty("Tool").GetString());
        Assert.Equal("customers.create", ok.GetProperty("Permission").GetString());
        Assert.StartsWith("stripe-mcp-", ok.GetProperty("IdempotencyKey").GetString());
        Assert.StartsWith("req_", ok.GetProperty("RequestId").GetString());
        Assert.True(ok.TryGetProperty("@t", out _));
        Assert.True(ok.GetProperty("DurationMs").GetDouble() >= 0);
        // Arguments are an object in the line, not a string of JSON.
        var arguments = ok.GetProperty("Arguments");
        Assert.Equal(JsonValueKind.Object, arguments.ValueKind);
        Assert.Equal("j***@example.com", arguments.GetProperty("email").GetString());
        Assert.Equal("card ****4242", arguments.GetProperty("description").GetString());
        Assert.Equal(500, lines[4].GetProperty("Arguments").GetProperty("amount").GetInt32());
        var args = arguments.GetRawText();
        Assert.DoesNotContain("jenny.rosen", args);
        Assert.DoesNotContain("4242 4242 4242", args);
        Assert.Equal("req_", lines[2].GetProperty("RequestId").GetString()![..4]);
        Assert.Equal("acct_1Other", lines[5].GetProperty("Account").GetString());
    }

    [GeneratedRegex(@"(sk|rk)_(test|live)_[A-Za-z0-9]{4,}|whsec_[A-Za-z0-9]{4,}")]
    private static partial Regex Secret();

    /// <summary>
    /// 1,000 calls while 20% of attempts to Stripe fail (429, 500, reset, and failures after the request was
    /// applied): every create ends created exactly once or with a clear error, no object is duplicated, and no
    /// secret appears in any result, log line or audit line.
    /// </summary>
    [Fact]
    public async Task A_thousand_calls_under_faults_duplicate_nothing_and_leak_no_secret()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        const string key = "sk_test_51SecretThatMustNeverLeak0000000000aZ";
        var audit = Path.Combine(Path.GetTempPath(), $"stripe-mcp-faults-{Guid.NewGuid():N}.jsonl");
        var config = TestFiles.Config("""{ "toolsets": ["all"], "limits": { "transfers": { "maxAmount": { "usd": 100 } } } }""");
        await using var server = await ServerProcess.StartAsync(["--api-key", key, "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--audit-log", audit, "--log-level", "debug"]);
        sandbox.Faults.Kinds = [Fault.RateLimit, Fault.ServerError, Fault.Reset, Fault.ServerErrorAfter, Fault.ResetAfter];
        sandbox.Faults.Rate = 0.2;

        var results = new ConcurrentBag<(string Kind, string Marker, ModelContextProtocol.Protocol.CallToolResult Result)>();
        using var gate = new SemaphoreSlim(32);
        var calls = Enumerable.Range(0, 1000).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                var marker = $"dup{i:D4}@example.com";
                var (kind, tool, args) = (i % 10) switch
                {
                    < 7 => ("create", "create_customer", $$"""{"email":"{{marker}}"}"""),
                    7 => ("invalid", "create_price", """{"unit_amount":-1}"""),
                    8 => ("missing", "retrieve_customer", $$"""{"customer":"cus_missing{{i}}"}"""),
                    _ => (i % 20 == 9 ? "declined" : "limit", i % 20 == 9 ? "create_payment_intent" : "create_transfer",
                          i % 20 == 9 ? """{"amount":5000,"currency":"usd","payment_method":"pm_card_chargeDeclined","confirm":true}"""
                                      : """{"amount":500,"currency":"usd","destination":"acct_1X"}"""),
                };
                results.Add((kind, marker, await server.CallAsync(tool, args)));
            }
            finally { gate.Release(); }
        });
        await Task.WhenAll(calls);
        sandbox.Faults.Clear();
        var (sandboxRequests, replays, faults) = sandbox.Counters;

        var customers = sandbox.Execute("GET", "/v1/customers", "limit=100");
        var all = new List<string>();
        for (var page = customers; ; page = sandbox.Execute("GET", "/v1/customers", $"limit=100&starting_after={all[^1].Split(' ')[0]}"))
        {
            all.AddRange(page["data"]!.AsArray().Select(c => $"{c!["id"]} {c["email"]}"));
            if (!page["has_more"]!.GetValue<bool>()) break;
        }
        var byEmail = all.GroupBy(c => c.Split(' ')[1]).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(byEmail, kv => Assert.Equal(1, kv.Value)); // no duplicates, ever

        var creates = results.Where(r => r.Kind == "create").ToList();
        Assert.Equal(700, creates.Count);
        var created = creates.Count(r => !(r.Result.IsError ?? false));
        foreach (var (_, marker, result) in creates)
        {
            if (result.IsError ?? false)
            {
                var error = result.Json().GetProperty("error");
                Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
                Assert.True(byEmail.GetValueOrDefault(marker) <= 1);
            }
            else Assert.Equal(1, byEmail.GetValueOrDefault(marker));
        }
        Assert.True(created >= 650, $"only {created} of 700 creates succeeded");
        Assert.All(results.Where(r => r.Kind != "create"), r => Assert.True(r.Result.IsError));

        var everything = string.Join("\n", results.Select(r => r.Result.Text())) + string.Join("\n", server.Stderr)
            + string.Join("\n", Directory.GetFiles(Path.GetDirectoryName(audit)!, Path.GetFileNameWithoutExtension(audit) + "*").Select(File.ReadAllText));
        Assert.DoesNotMatch(Secret(), everything);
        Assert.DoesNotContain(key[8..], everything);
        output.WriteLine($"faults: {created}/700 creates succeeded, {700 - created} ended in a clear error, {byEmail.Count} customers, 0 duplicates; sandbox saw {sandboxRequests} requests, injected {faults} faults ({100.0 * faults / sandboxRequests:F1}%), served {replays} idempotent replays");
        Assert.InRange(100.0 * faults / sandboxRequests, 15, 25);
    }
}
