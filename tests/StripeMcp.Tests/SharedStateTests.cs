using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// Several server processes (Streamable HTTP, as behind a load balancer) sharing one real PostgreSQL
/// state store the suite started itself: one rolling total between them, kept even when one dies mid-call.
/// </summary>
public sealed class SharedStateTests
{
    private const string Config = """
        { "toolsets": ["all"], "confirm": { "create_refund": "off" }, "http": { "rateLimitPerMinute": 100000 },
          "limits": { "refunds": { "maxTotal": { "usd": 10000 }, "window": "24h" } } }
        """;

    private static Task<HttpServerProcess> Instance(Sandbox.Sandbox sandbox, string postgres) =>
        HttpServerProcess.StartAsync(["--api-key", "sk_test_shared", "--stripe-api-base", sandbox.BaseUrl, "--config", TestFiles.Config(Config)],
            new() { ["STRIPE_MCP_POSTGRES"] = postgres });

    private static Task<McpClient> Client(HttpServerProcess server) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(server.Url + "/mcp"),
        TransportMode = HttpTransportMode.StreamableHttp,
    }));

    private static string PaymentIntent(Sandbox.Sandbox sandbox, long amount) =>
        sandbox.Execute("POST", "/v1/payment_intents", $"amount={amount}&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    private static async Task<CallToolResult> Refund(McpClient client, string pi, long amount) =>
        await client.CallToolAsync("create_refund", new Dictionary<string, object?> { ["payment_intent"] = pi, ["amount"] = amount });

    private static string Type(CallToolResult r) => r.IsError == true ? r.Error().GetProperty("type").GetString()! : "ok";

    [Fact]
    public async Task Two_instances_racing_200_refunds_never_pass_the_total_and_refuse_nothing_that_fits()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var postgres = await PostgresServer.NewDatabaseAsync();
        await using var a = await Instance(sandbox, postgres);
        await using var b = await Instance(sandbox, postgres);
        await using var ca = await Client(a);
        await using var cb = await Client(b);
        var pis = Enumerable.Range(0, 4).Select(_ => PaymentIntent(sandbox, 50000)).ToList();

        // One refund through each instance first, so both take part however the race is scheduled; then 198 race.
        var first = new[] { await Refund(ca, pis[0], 100), await Refund(cb, pis[1], 100) };
        Assert.All(first, r => Assert.Equal("ok", Type(r)));
        var results = first.Concat(await Task.WhenAll(Enumerable.Range(2, 198).Select(i => Refund(i % 2 == 0 ? ca : cb, pis[i % 4], 100)))).ToArray();

        // 10,000 usd of cap, 100 each: exactly 100 go through, the other 100 are refused by the limit — had each
        // instance kept its own total, 200 would have gone through.
        var types = results.Select(Type).ToList();
        Assert.Equal(100, types.Count(t => t == "ok"));
        Assert.Equal(100, types.Count(t => t == "limit_exceeded"));
        var refunded = pis.Sum(pi => sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}&limit=100")["data"]!.AsArray().Sum(r => r!["amount"]!.GetValue<long>()));
        Assert.Equal(10000, refunded);
        Assert.Contains("counted across restarts and by every server sharing this state", results.First(r => r.IsError == true).Error().GetProperty("message").GetString());
        // The connection string's password is never shown.
        Assert.DoesNotContain(a.Stderr.Concat(b.Stderr), l => l.Contains(PostgresServer.Password));
        Assert.Contains(a.Stderr, l => l.Contains("Rolling totals of limits are kept in PostgreSQL 127.0.0.1:"));
    }

    [Fact]
    public async Task An_instance_killed_mid_call_leaves_its_reservation_counted_for_the_other_and_listed_as_uncertain()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var postgres = await PostgresServer.NewDatabaseAsync();
        var pi = PaymentIntent(sandbox, 50000);
        await using var b = await Instance(sandbox, postgres);
        await using var cb = await Client(b);
        await using (var a = await Instance(sandbox, postgres))
        {
            await using var ca = await Client(a);
            Assert.Equal("ok", Type(await Refund(ca, pi, 500))); // the account behind the key is known from here on
            sandbox.Faults.Stall = TimeSpan.FromSeconds(60);
            var faultsBefore = sandbox.Counters.Faults;
            sandbox.Faults.Script(Fault.None, Fault.None, Fault.Stall); // the lookups for the limit (payment intent, charge) pass; the refund itself stalls
            var stuck = Refund(ca, pi, 8000);
            await Eventually.True(() => sandbox.Counters.Faults > faultsBefore);
            a.Process.Kill(); // SIGKILL: no chance to settle or release
            await a.Process.WaitForExitAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => stuck);
        }

        // 500 settled + 8,000 whose outcome nobody knows: 1,500 left, not 9,500.
        var refused = (await Refund(cb, pi, 2000)).Error();
        Assert.Equal("limits.refunds.maxTotal.usd", refused.GetProperty("limit").GetString());
        Assert.Contains("already used 8,500", refused.GetProperty("message").GetString());
        Assert.Equal("ok", Type(await Refund(cb, pi, 1500)));

        // And an operator sees it (once it is older than the --older-than given).
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var listed = await CliTests.RunAsync(["audit", "uncertain", "--older-than", "1s"], new() { ["STRIPE_MCP_POSTGRES"] = postgres });
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("create_refund 8,000 usd", listed.Stdout);
        Assert.Single(listed.Stdout.Trim().Split('\n'));
        Assert.Contains("never reported back", listed.Stderr);

        var verified = await CliTests.RunAsync(["audit", "verify"], new() { ["STRIPE_MCP_POSTGRES"] = postgres });
        Assert.Equal(0, verified.ExitCode);
        Assert.StartsWith("ok: ", verified.Stdout);
    }

    [Fact]
    public async Task A_PostgreSQL_store_that_is_down_refuses_limited_calls_and_reads_go_on()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        await using var server = await Instance(sandbox, $"Host=127.0.0.1;Port={port};Database=gone;Username=u;Password=down-db-secret;Timeout=2");
        await using var client = await Client(server);
        var refused = (await Refund(client, PaymentIntent(sandbox, 5000), 100)).Error();
        Assert.Equal("limit_unverifiable", refused.GetProperty("type").GetString());
        Assert.Contains($"PostgreSQL 127.0.0.1:{port}/gone", refused.GetProperty("message").GetString());
        Assert.DoesNotContain("down-db-secret", refused.ToString());
        Assert.False((await client.CallToolAsync("list_customers")).IsError ?? false);
        Assert.DoesNotContain(server.Stderr, l => l.Contains("down-db-secret"));
        Assert.Contains(server.Stderr, l => l.Contains("The state store is unavailable"));
    }
}
