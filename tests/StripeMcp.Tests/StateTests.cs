using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The state store behind limits' rolling totals, through the server: totals outlive a server (its restart),
/// stay apart per Stripe account, and a store that cannot be used refuses limited calls (fail closed).
/// </summary>
public sealed class StateTests
{
    private const string Limits = """
        { "toolsets": ["all"], "confirm": { "create_refund": "off" },
          "limits": { "refunds": { "maxTotal": { "usd": 15000 }, "window": "24h" } } }
        """;

    private static string PaymentIntent(Sandbox.Sandbox sandbox, long amount) =>
        sandbox.Execute("POST", "/v1/payment_intents", $"amount={amount}&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    private static Task<TestServer> Start(Sandbox.Sandbox sandbox, params string[] extra) =>
        TestServer.StartAsync(["--api-key", "sk_test_state", "--stripe-api-base", sandbox.BaseUrl, "--config", TestFiles.Config(Limits), .. extra]);

    private static async Task<string> Refund(TestServer server, string pi, long amount)
    {
        var result = await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":{{amount}}}""");
        return result.IsError == true ? result.Error().GetProperty("type").GetString()! : "ok";
    }

    [Fact]
    public async Task A_rolling_total_carries_over_a_restart_of_the_server()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-state-{Guid.NewGuid():N}", "state.db");
        var pi = PaymentIntent(sandbox, 40000);
        await using (var first = await Start(sandbox, "--state", state))
            Assert.Equal("ok", await Refund(first, pi, 9000));

        // A new server, as Claude Desktop starts a process for each session: the 9,000 still count.
        await using (var second = await Start(sandbox, "--state", state))
        {
            var refused = (await second.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":7000}""")).Error();
            Assert.Equal("limits.refunds.maxTotal.usd", refused.GetProperty("limit").GetString());
            Assert.Contains("already used 9,000", refused.GetProperty("message").GetString());
            Assert.Equal("ok", await Refund(second, pi, 6000));
        }
        Assert.Equal(2, sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray().Count);

        // Without --state a fresh state directory starts at zero: the 15,000 above were that file's.
        await using var elsewhere = await Start(sandbox);
        Assert.Equal("ok", await Refund(elsewhere, pi, 9000));
    }

    [Fact]
    public async Task Totals_of_another_Stripe_account_do_not_count()
    {
        await using var one = await Sandbox.Sandbox.StartAsync();
        await using var other = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { PlatformAccount = "acct_1OtherPlatform0" });
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-state-{Guid.NewGuid():N}", "state.db");
        await using (var a = await Start(one, "--state", state))
            Assert.Equal("ok", await Refund(a, PaymentIntent(one, 20000), 15000));
        await using var b = await Start(other, "--state", state);
        // Another sandbox is another account (GET /v1/account answers another id): its total is its own.
        Assert.NotEqual(one.Execute("GET", "/v1/account")["id"]!.GetValue<string>(), other.Execute("GET", "/v1/account")["id"]!.GetValue<string>());
        Assert.Equal("ok", await Refund(b, PaymentIntent(other, 20000), 15000));
        // While the first account's own total is spent.
        await using var again = await Start(one, "--state", state);
        Assert.Equal("limit_exceeded", await Refund(again, PaymentIntent(one, 20000), 1000));
    }

    [Fact]
    public async Task An_unusable_store_refuses_limited_calls_saying_why_and_everything_else_goes_on()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var blocked = Path.Combine(Path.GetTempPath(), $"stripe-mcp-state-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the state folder should be");
        await using var server = await Start(sandbox, "--state", Path.Combine(blocked, "state.db"));
        var pi = PaymentIntent(sandbox, 20000);

        var refused = (await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":100}""")).Error();
        Assert.Equal("limit_unverifiable", refused.GetProperty("type").GetString());
        var message = refused.GetProperty("message").GetString()!;
        Assert.Contains("state store that keeps the totals is unavailable", message);
        Assert.Contains(blocked, message);
        Assert.Contains("nothing was sent", message);
        Assert.Empty(sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray());

        Assert.False((await server.CallAsync("create_customer", """{"name":"Still works"}""")).IsError ?? false);
        Assert.False((await server.CallAsync("list_refunds")).IsError ?? false);
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("state") && l.Contains("[WRN]")));
    }
}
