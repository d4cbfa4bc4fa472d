using ModelContextProtocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>Secrets that do not stand alone as a word, and text that would write a line of its own into the log.</summary>
public sealed class LogAndSecretTests : IAsyncLifetime
{
    private const string Glued = "req_sk_test_51GluedKeyABCDEFGHIJ and whsec_abcdEFGH1234";
    private const string Forged = "12:00:00.000 [INF] forged";

    private FakeStripe _stripe = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _stripe = await FakeStripe.StartAsync();
        _server = await TestServer.StartAsync(_stripe, "--tools", "all", "--log-level", "debug", "--max-network-retries", "0");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _stripe.DisposeAsync();
    }

    [Fact]
    public async Task A_key_glued_to_a_word_is_masked_in_results_and_errors()
    {
        _stripe.Reset();
        _stripe.Enqueue(new Scripted(200, $$"""{"id":"cus_1","object":"customer","description":"{{Glued}}"}"""));
        var ok = await _server.CallAsync("retrieve_customer", """{"customer":"cus_1"}""");
        var structured = ok.StructuredContent?.GetRawText() ?? "";
        foreach (var tail in new[] { "51GluedKeyABCDEFGHIJ", "abcdEFGH1234" })
        {
            Assert.DoesNotContain(tail, ok.Text());
            Assert.DoesNotContain(tail, structured);
        }
        Assert.Contains("sk_test_…", ok.Text());
        Assert.Contains("whsec_…", ok.Text());

        _stripe.Enqueue(new Scripted(400, "{\"error\":{\"type\":\"invalid_request_error\",\"message\":\"Bad key (key:" + Glued + ")\",\"param\":\"x_sk_live_51GluedLiveKeyZZZZ\"}}"));
        var error = await _server.CallAsync("retrieve_customer", """{"customer":"cus_2"}""");
        Assert.True(error.IsError, error.Text());
        foreach (var tail in new[] { "51GluedKeyABCDEFGHIJ", "abcdEFGH1234", "51GluedLiveKeyZZZZ" })
            Assert.DoesNotContain(tail, error.Text());

        await Eventually.True(() => _server.Stderr.Any(l => l.Contains(" audit retrieve_customer ") && l.Contains("cus_2")));
        Assert.DoesNotContain(_server.Stderr, l => l.Contains("51GluedKeyABCDEFGHIJ") || l.Contains("abcdEFGH1234") || l.Contains("51GluedLiveKeyZZZZ"));
    }

    [Fact]
    public async Task A_tool_name_or_a_Stripe_error_with_a_newline_cannot_forge_a_log_line()
    {
        _stripe.Reset();
        try
        {
            var r = await _server.Client.CallToolAsync("create_customer\n" + Forged + " by a tool name", new Dictionary<string, object?> { ["name"] = "A" });
            Assert.True(r.IsError, r.Text());
        }
        catch (McpException)
        {
            // An unknown tool is a protocol error: fine, as long as its name did not reach the log raw.
        }
        Assert.Empty(_stripe.Requests);

        // Stripe's own error fields are logged too (type, code): a hostile answer must not start a line either.
        _stripe.Enqueue(new Scripted(400, "{\"error\":{\"type\":\"invalid_request_error\\n" + Forged + " by a Stripe error type\",\"code\":\"x\\n" + Forged + " by a Stripe error code\",\"message\":\"m\\n" + Forged + " by a Stripe message\"}}"));
        var error = await _server.CallAsync("retrieve_customer", """{"customer":"cus_forge"}""");
        Assert.True(error.IsError, error.Text());

        // A last call whose audit line marks that everything before it has reached stderr.
        _stripe.Enqueue(new Scripted(200, """{"id":"cus_after","object":"customer"}"""));
        await _server.CallAsync("retrieve_customer", """{"customer":"cus_after"}""");
        await Eventually.True(() => _server.Stderr.Any(l => l.Contains(" audit retrieve_customer ") && l.Contains("cus_after")));
        var forged = _server.Stderr.Where(l => l.StartsWith(Forged, StringComparison.Ordinal)).ToList();
        Assert.True(forged.Count == 0, "forged log lines on stderr:\n" + string.Join("\n", forged));
    }
}
