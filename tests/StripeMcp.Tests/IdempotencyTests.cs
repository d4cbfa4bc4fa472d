using System.Text.Json;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The caller's idempotency_key: an agent that retries an unknown outcome with the key it was given gets
/// Stripe's first answer, not a second object; the same key with other arguments is refused before
/// anything is sent; a dry run's key sends exactly what was checked.
/// </summary>
public sealed class IdempotencyTests
{
    private static int Customers(Sandbox.Sandbox sandbox, string name) =>
        sandbox.Execute("GET", "/v1/customers", "limit=100")["data"]!.AsArray().Count(c => c!["name"]?.GetValue<string>() == name);

    private static bool Replayed(ModelContextProtocol.Protocol.CallToolResult r) =>
        r.Meta?["stripe-mcp/replayed"]?.GetValue<bool>() ?? false;

    [Fact]
    public async Task A_retry_with_the_key_of_an_unknown_outcome_is_Stripe_s_first_answer_and_one_object()
    {
        var faults = new FaultOptions();
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Faults = faults });
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_idem", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all", "--max-network-retries", "0"]);

        faults.Script(Fault.ResetAfter); // applied, then the answer is lost
        var lost = (await server.CallAsync("create_customer", """{"name":"Once only"}""")).Error();
        Assert.Equal("network_error", lost.GetProperty("type").GetString());
        var key = lost.GetProperty("idempotency_key").GetString()!;
        Assert.Contains($"idempotency_key: \"{key}\"", lost.GetProperty("message").GetString());
        Assert.Equal(1, Customers(sandbox, "Once only"));

        var retry = await server.CallAsync("create_customer", $$"""{"name":"Once only","idempotency_key":"{{key}}"}""");
        Assert.False(retry.IsError ?? false, retry.Text());
        Assert.True(Replayed(retry));
        Assert.Contains("Replayed", retry.Text());
        Assert.Equal(1, Customers(sandbox, "Once only"));
        Assert.Equal("Once only", retry.StructuredContent!.Value.GetProperty("name").GetString());

        // The same key for other arguments: refused here, nothing sent.
        var before = sandbox.Counters.Requests;
        var other = (await server.CallAsync("create_customer", $$"""{"name":"Someone else","idempotency_key":"{{key}}"}""")).Error();
        Assert.Equal("idempotency_conflict", other.GetProperty("type").GetString());
        Assert.Contains("nothing was sent", other.GetProperty("message").GetString());
        Assert.Equal(before, sandbox.Counters.Requests);
        Assert.Equal(0, Customers(sandbox, "Someone else"));
        // And for another tool.
        Assert.Equal("idempotency_conflict", (await server.CallAsync("create_product", $$"""{"name":"P","idempotency_key":"{{key}}"}""")).Error().GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_key_the_caller_chooses_makes_its_own_retries_safe()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_idem", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all"]);
        var first = await server.CallAsync("create_customer", """{"name":"Chosen key","idempotency_key":"order-1234"}""");
        var second = await server.CallAsync("create_customer", """{"name":"Chosen key","idempotency_key":"order-1234"}""");
        Assert.False(Replayed(first));
        Assert.True(Replayed(second));
        Assert.Equal(first.StructuredContent!.Value.GetProperty("id").GetString(), second.StructuredContent!.Value.GetProperty("id").GetString());
        Assert.Equal(1, Customers(sandbox, "Chosen key"));
        // The key is not sent to Stripe as a field.
        Assert.False(first.StructuredContent!.Value.TryGetProperty("idempotency_key", out _));
        var bad = (await server.CallAsync("create_customer", """{"name":"x","idempotency_key":"has spaces in it"}""")).Error();
        Assert.Equal("invalid_arguments", bad.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_dry_run_s_key_sends_exactly_what_was_checked()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var state = Path.Combine(Path.GetTempPath(), $"stripe-mcp-state-{Guid.NewGuid():N}", "state.db");
        string key;
        await using (var dry = await TestServer.StartAsync(["--api-key", "sk_test_idem", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all", "--dry-run", "--state", state]))
        {
            var plan = (await dry.CallAsync("create_customer", """{"name":"Approved","email":"a@example.com"}""")).Json();
            key = plan.GetProperty("idempotency_key").GetString()!;
            Assert.Contains($"idempotency_key: \"{key}\"", plan.GetProperty("message").GetString());
        }
        Assert.Equal(0, Customers(sandbox, "Approved"));

        await using var real = await TestServer.StartAsync(["--api-key", "sk_test_idem", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all", "--state", state]);
        var changed = (await real.CallAsync("create_customer", $$"""{"name":"Approved","email":"other@example.com","idempotency_key":"{{key}}"}""")).Error();
        Assert.Equal("idempotency_conflict", changed.GetProperty("type").GetString());
        Assert.Equal(0, Customers(sandbox, "Approved"));
        var sent = await real.CallAsync("create_customer", $$"""{"name":"Approved","email":"a@example.com","idempotency_key":"{{key}}"}""");
        Assert.False(sent.IsError ?? false, sent.Text());
        Assert.Equal(1, Customers(sandbox, "Approved"));
    }

    [Fact]
    public async Task A_retried_refund_counts_once_against_a_rolling_total()
    {
        var faults = new FaultOptions();
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Faults = faults });
        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=40000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();
        var config = TestFiles.Config("""
            { "toolsets": ["all"], "confirm": { "create_refund": "off" },
              "limits": { "refunds": { "maxTotal": { "usd": 15000 }, "window": "24h" } } }
            """);
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_idem", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--max-network-retries", "0"]);

        // Lookups (payment intent, charge, the account behind the key) pass; the refund lands and its answer is lost.
        faults.Script(Fault.None, Fault.None, Fault.None, Fault.ResetAfter);
        var lost = (await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":9000}""")).Error();
        var key = lost.GetProperty("idempotency_key").GetString()!;
        var retry = await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":9000,"idempotency_key":"{{key}}"}""");
        Assert.True(Replayed(retry), retry.Text());
        Assert.Single(sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray());
        // 9,000 counted once: 6,000 more fits under 15,000, 6,001 would not have.
        Assert.False((await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":6000}""")).IsError ?? false);
        Assert.Equal("limit_exceeded", (await server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":1}""")).Error().GetProperty("type").GetString());
    }
}
