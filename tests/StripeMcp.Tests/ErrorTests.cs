using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>What the agent sees when Stripe says no, or cannot be reached: Stripe's own words, never a guess.</summary>
public sealed class ErrorTests(ErrorFixture f) : IClassFixture<ErrorFixture>
{
    /// <param name="fields">The inside of Stripe's error object, e.g. "type":"card_error","code":"card_declined".</param>
    private static Scripted StripeError(int status, string fields, Dictionary<string, string>? headers = null) =>
        new(status, "{\"error\":{" + fields.Trim() + "}}", headers);

    [Fact]
    public async Task Card_error_402_carries_type_code_decline_code_param_message_doc_url_and_request_id()
    {
        f.Stripe.Reset();
        f.Stripe.Enqueue(StripeError(402, """
            "type":"card_error","code":"card_declined","decline_code":"insufficient_funds","param":"payment_method",
            "message":"Your card has insufficient funds.","doc_url":"https://stripe.com/docs/error-codes/card-declined"
            """));
        var error = (await f.Server.CallAsync("create_refund", """{"charge":"ch_1"}""")).Error();
        Assert.Equal("card_error", error.GetProperty("type").GetString());
        Assert.Equal("card_declined", error.GetProperty("code").GetString());
        Assert.Equal("insufficient_funds", error.GetProperty("decline_code").GetString());
        Assert.Equal("payment_method", error.GetProperty("param").GetString());
        Assert.Equal("Your card has insufficient funds.", error.GetProperty("message").GetString());
        Assert.Equal("https://stripe.com/docs/error-codes/card-declined", error.GetProperty("doc_url").GetString());
        Assert.Equal(402, error.GetProperty("http_status").GetInt32());
        Assert.StartsWith("req_", error.GetProperty("request_id").GetString());
        Assert.Single(f.Stripe.Requests); // a 402 is an answer, not a reason to retry
    }

    [Fact]
    public async Task A_secret_in_a_successful_result_is_redacted_in_text_and_structured_content_alike()
    {
        f.Stripe.Reset();
        // A one-character tail: the masked text is exactly as long as the original, so a length check
        // cannot tell that anything was masked.
        f.Stripe.Enqueue(new Scripted(200, """{"id":"cus_1","object":"customer","name":"Zoe","description":"sk_test_a"}"""));
        var result = await f.Server.CallAsync("retrieve_customer", """{"customer":"cus_1"}""");
        Assert.Contains("sk_test_…", result.Text());
        Assert.DoesNotContain("sk_test_a\"", result.Text());
        Assert.Equal("sk_test_…", result.StructuredContent!.Value.GetProperty("description").GetString());
    }

    [Fact]
    public async Task Invalid_request_400_names_the_param()
    {
        f.Stripe.Reset();
        f.Stripe.Enqueue(StripeError(400, """ "type":"invalid_request_error","code":"amount_too_large","param":"amount","message":"Refund amount ($50.00) is greater than charge amount ($20.00)" """));
        var error = (await f.Server.CallAsync("create_refund", """{"payment_intent":"pi_1","amount":5000}""")).Error();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal("amount", error.GetProperty("param").GetString());
        Assert.Equal("amount_too_large", error.GetProperty("code").GetString());
        Assert.Contains("greater than charge amount", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Authentication_401_never_echoes_the_key()
    {
        f.Stripe.Reset();
        var keyTail = TestServer.TestKey[^4..];
        f.Stripe.Enqueue(StripeError(401, $$""" "type":"invalid_request_error","message":"Invalid API Key provided: {{TestServer.TestKey}} (or sk_test_****{{keyTail}})" """));
        var result = await f.Server.CallAsync("list_customers");
        var error = result.Error();
        Assert.Equal(401, error.GetProperty("http_status").GetInt32());
        Assert.Contains("Invalid API Key provided: sk_test_…", error.GetProperty("message").GetString());
        Assert.DoesNotContain(TestServer.TestKey[8..], result.Text());
        Assert.DoesNotContain("****" + keyTail, result.Text());
    }

    [Fact]
    public async Task Missing_object_404_is_resource_missing()
    {
        f.Stripe.Reset();
        f.Stripe.Enqueue(StripeError(404, """ "type":"invalid_request_error","code":"resource_missing","param":"id","message":"No such invoice: 'in_nope'" """));
        var result = await f.Server.CallAsync("finalize_invoice", """{"invoice":"in_nope"}""");
        // Agents read the text: written plainly, as a success's text is, not with \u0027 escapes.
        Assert.Contains("\"message\":\"No such invoice: 'in_nope'\"", result.Text());
        var error = result.Error();
        Assert.Equal("resource_missing", error.GetProperty("code").GetString());
        Assert.Equal("No such invoice: 'in_nope'", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Rate_limit_429_is_retried_with_the_same_idempotency_key_and_then_succeeds()
    {
        f.Stripe.Reset();
        f.Stripe.Enqueue(
            StripeError(429, """ "type":"invalid_request_error","code":"rate_limit","message":"Too many requests" """, new() { ["Stripe-Should-Retry"] = "true" }),
            new Scripted(200, """{"id":"re_1","object":"refund","amount":500,"status":"succeeded"}"""));

        var result = await f.Server.CallAsync("create_refund", """{"payment_intent":"pi_1","amount":500}""");

        Assert.False(result.IsError ?? false, result.Text());
        Assert.Equal("re_1", result.Json().GetProperty("id").GetString());
        var requests = f.Stripe.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var key = requests[0].Header("Idempotency-Key");
        Assert.False(string.IsNullOrEmpty(key));
        Assert.Equal(key, requests[1].Header("Idempotency-Key"));
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Fact]
    public async Task Server_error_500_on_every_attempt_is_retried_twice_then_reported()
    {
        f.Stripe.Reset();
        var boom = StripeError(500, """ "type":"api_error","message":"Something went wrong on Stripe's end." """);
        f.Stripe.Enqueue(boom, boom, boom);

        var error = (await f.Server.CallAsync("create_customer", """{"email":"a@example.com"}""")).Error();

        Assert.Equal("api_error", error.GetProperty("type").GetString());
        Assert.Equal(500, error.GetProperty("http_status").GetInt32());
        var requests = f.Stripe.Requests.ToList();
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.Header("Idempotency-Key")).Distinct());
    }

    [Fact]
    public async Task Logs_go_to_stderr_and_never_contain_the_key()
    {
        f.Stripe.Reset();
        await f.Server.CallAsync("list_customers");
        await Eventually.True(() => f.Server.Stderr.Any(l => l.Contains("list_customers GET /v1/customers -> 200")));
        var log = string.Join("\n", f.Server.Stderr);
        Assert.Contains("sk_test_…", log);
        Assert.DoesNotContain(TestServer.TestKey[8..], log);
    }
}
