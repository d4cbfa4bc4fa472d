using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class UnverifiableLimitTests
{
    [Fact]
    public async Task A_price_without_a_fixed_unit_amount_is_refused_when_limits_apply()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "toolsets": ["all"], "limits": { "create_payment_link": { "maxAmount": { "usd": 50000 } } } }""");
        await using var server = await TestServer.StartAsync(stripe, "--config", config);
        stripe.Enqueue(new Scripted(200, """{"id":"price_tiered","object":"price","currency":"usd","billing_scheme":"tiered","unit_amount":null}"""));
        var error = (await server.CallAsync("create_payment_link", """{"line_items":[{"price":"price_tiered","quantity":2}]}""")).Error();
        Assert.Equal("limit_unverifiable", error.GetProperty("type").GetString());
        Assert.Contains("price price_tiered has no fixed unit_amount", error.GetProperty("message").GetString());
        Assert.Equal(["GET /v1/prices/price_tiered"], stripe.Requests.Select(r => $"{r.Method} {r.Path}"));
    }
}
