using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class DryRunTests
{
    [Fact]
    public async Task Mutating_tools_return_the_request_they_would_send_and_read_tools_run()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all", "--dry-run", "--stripe-account", "acct_1Dry");
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
