using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Client;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

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
        await using (var server = await TestServer.StartAsync(["--api-key", "sk_test_audit", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--audit-log", audit], client: options))
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
        await using (var offline = await TestServer.StartAsync(["--api-key", "sk_test_audit", "--stripe-api-base", FakeStripe.DeadUrl(), "--tools", "all", "--max-network-retries", "0", "--audit-log", audit]))
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
        await using var server = await TestServer.StartAsync(["--api-key", key, "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--audit-log", audit, "--log-level", "debug"]);
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
