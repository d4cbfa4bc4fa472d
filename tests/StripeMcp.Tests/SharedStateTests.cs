using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

using static StripeMcp.Tests.Support.SharedStore;

namespace StripeMcp.Tests;

/// <summary>
/// Several servers (Streamable HTTP, as behind a load balancer) sharing one real PostgreSQL state store the suite
/// started itself: one rolling total between them (and kept when one dies mid-call: WholeProcess/KilledInstanceTests).
/// </summary>
public sealed class SharedStateTests
{
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
        // The audit events the chain could not keep are said once, by a logger with a name.
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("were not kept in the state store's audit chain")));
        Assert.Contains(server.Stderr, l => l.Contains("[WRN] StripeMcp.Audit: ") && l.Contains("were not kept"));
    }
}
