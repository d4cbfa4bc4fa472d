using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>A limit check that reads an object it cannot use refuses the call: nothing is sent.</summary>
public sealed class FailClosedLookupTests
{
    public static TheoryData<string, string> Unusable => new()
    {
        { "no latest_charge", """{"id":"pi_1","object":"payment_intent","amount":5000,"currency":"usd"}""" },
        { "latest_charge of the wrong type", """{"id":"pi_1","object":"payment_intent","latest_charge":42,"currency":"usd"}""" },
        { "another object", """{"id":"ch_9","object":"charge","amount_captured":10,"amount_refunded":0,"currency":"usd"}""" },
        { "a list without data", """{"object":"list","has_more":false}""" },
        { "an error body with status 200", """{"error":{"type":"api_error","message":"x"}}""" },
    };

    [Theory]
    [MemberData(nameof(Unusable))]
    public async Task A_refund_without_amount_is_refused_when_the_payment_intent_is_unusable(string what, string intent)
    {
        _ = what;
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "toolsets": ["all"], "limits": { "refunds": { "maxAmount": { "usd": 1000 } } } }""");
        await using var server = await TestServer.StartAsync(stripe, "--config", config);
        stripe.Enqueue(new Scripted(200, intent));
        var error = (await server.CallAsync("create_refund", """{"payment_intent":"pi_1"}""")).Error();
        Assert.Equal("limit_unverifiable", error.GetProperty("type").GetString());
        Assert.Contains("nothing was sent", error.GetProperty("message").GetString());
        Assert.DoesNotContain(stripe.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_charge_whose_amounts_are_strings_is_unusable()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "toolsets": ["all"], "limits": { "refunds": { "maxAmount": { "usd": 1000 } } } }""");
        await using var server = await TestServer.StartAsync(stripe, "--config", config);
        stripe.Enqueue(new Scripted(200, """{"id":"ch_1","object":"charge","amount_captured":"90000","amount_refunded":0,"currency":"usd"}"""));
        var error = (await server.CallAsync("create_refund", """{"charge":"ch_1"}""")).Error();
        Assert.Equal("limit_unverifiable", error.GetProperty("type").GetString());
        Assert.Contains("amount_captured", error.GetProperty("message").GetString());
        Assert.Equal(["GET /v1/charges/ch_1"], stripe.Requests.Select(r => $"{r.Method} {r.Path}"));
    }
}
