using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// Prices whose amount a call cannot know: a metered price bills reported usage, and a price in several currencies
/// bills the buyer's or customer's currency unless the call names one. Both found by an outside attack; both refused
/// under limits, with nothing sent; a named currency is measured in it.
/// </summary>
public sealed class PriceAttacks
{
    private static readonly Dictionary<string, string> Prices = new()
    {
        ["/v1/prices/price_metered"] = """{"id":"price_metered","object":"price","unit_amount":100,"currency":"usd","recurring":{"interval":"month","usage_type":"metered","meter":"mtr_1"}}""",
        ["/v1/subscriptions/sub_big"] = """{"id":"sub_big","object":"subscription","currency":"usd","cancel_at_period_end":true,"pause_collection":{"behavior":"void"},"items":{"object":"list","has_more":false,"data":[{"id":"si_big","object":"subscription_item","quantity":1,"price":{"id":"price_big","object":"price","unit_amount":900000,"currency":"usd"}}]}}""",
        ["/v1/prices/price_multi"] = """{"id":"price_multi","object":"price","unit_amount":100,"currency":"usd","currency_options":{"usd":{"unit_amount":100},"jpy":{"unit_amount":1000000}}}""",
    };

    private static async Task<(MoneyStandIn Stripe, Microsoft.AspNetCore.Builder.WebApplication App, McpClient Client)> Start()
    {
        var stripe = await MoneyStandIn.StartAsync(Prices);
        var config = TestFiles.Config("""
            { "toolsets": ["all"], "limits": { "currencies": ["usd"],
              "subscriptions": { "maxAmount": { "usd": 1000 } }, "checkoutSessions": { "maxAmount": { "usd": 1000 } },
              "paymentLinks": { "maxAmount": { "usd": 1000 } }, "invoiceItems": { "maxAmount": { "usd": 1000 } } } }
            """);
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, Host = "127.0.0.1", ApiKey = "sk_test_prices", StripeApiBase = stripe.BaseUrl }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }));
        return (stripe, app, client);
    }

    [Theory]
    [InlineData("create_subscription", """{"customer":"cus_1","items":[{"price":"price_metered"}]}""", "metered")]
    [InlineData("update_subscription", """{"subscription":"sub_small","items":[{"price":"price_metered"}]}""", "metered")]
    [InlineData("create_payment_link", """{"line_items":[{"price":"price_metered","quantity":1}]}""", "metered")]
    [InlineData("create_checkout_session", """{"mode":"payment","success_url":"https://example.com","line_items":[{"price":"price_multi","quantity":5}]}""", "several currencies")]
    [InlineData("create_payment_link", """{"line_items":[{"price":"price_multi","quantity":5}]}""", "several currencies")]
    [InlineData("create_subscription", """{"customer":"cus_1","items":[{"price":"price_multi","quantity":5}]}""", "several currencies")]
    [InlineData("create_invoice_item", """{"customer":"cus_1","pricing":{"price":"price_multi"},"quantity":5}""", "several currencies")]
    [InlineData("create_checkout_session", """{"mode":"payment","success_url":"https://example.com","currency":"jpy","line_items":[{"price":"price_multi","quantity":5}]}""", "5,000,000 jpy")]
    // A paused or ending subscription brought back to billing: a resume scheduled with resumes_at, an undone or moved cancellation.
    [InlineData("pause_subscription", """{"subscription":"sub_big","pause_collection":{"behavior":"void","resumes_at":2000000000}}""", "900,000 usd")]
    [InlineData("update_subscription", """{"subscription":"sub_big","cancel_at_period_end":false}""", "900,000 usd")]
    [InlineData("stripe_api_write", """{"operation":"PostSubscriptionsSubscription","arguments":{"subscription":"sub_big","cancel_at":2000000000}}""", "900,000 usd")]
    public async Task A_price_whose_amount_the_call_cannot_know_is_refused_and_a_named_currency_is_measured_in_it(string tool, string args, string named)
    {
        var (stripe, app, client) = await Start();
        await using (stripe) await using (app) await using (client)
        {
            var result = await client.CallToolAsync(tool, System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(args)!);
            Assert.True(result.IsError, result.Text());
            Assert.Contains(named, result.Text());
            Assert.Empty(stripe.Writes);
        }
    }
}
