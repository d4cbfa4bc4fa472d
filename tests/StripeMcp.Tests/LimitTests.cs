using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class LimitTests : IAsyncLifetime
{
    private Sandbox.Sandbox _sandbox = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""
            {
              "toolsets": ["all"],
              "confirm": { "create_refund": "off" },
              "limits": {
                "currencies": ["usd", "eur"],
                "refunds": { "maxAmount": { "usd": 10000 }, "maxTotal": { "usd": 15000 }, "window": "24h" },
                "create_payment_link": { "maxAmount": { "usd": 50000 } },
                "transfers": { "maxAmount": { "usd": 1000, "eur": 1000 } }
              }
            }
            """);
        _server = await TestServer.StartAsync(["--api-key", "sk_test_limits", "--stripe-api-base", _sandbox.BaseUrl, "--config", config]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private string PaymentIntent(long amount, string currency = "usd") =>
        _sandbox.Execute("POST", "/v1/payment_intents", $"amount={amount}&currency={currency}&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    [Fact]
    public async Task A_refund_over_maxAmount_is_refused_naming_the_limit_and_nothing_is_refunded()
    {
        var pi = PaymentIntent(30000);
        var error = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":12000}""")).Error();
        Assert.Equal("limit_exceeded", error.GetProperty("type").GetString());
        Assert.Equal("limits.refunds.maxAmount.usd", error.GetProperty("limit").GetString());
        Assert.Equal(10000, error.GetProperty("limit_value").GetInt64());
        Assert.Equal(12000, error.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.Contains("nothing was sent", error.GetProperty("message").GetString());
        Assert.Empty(_sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray());

        // Without an amount the whole charge would be refunded: the limit sees that amount too.
        var whole = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}"}""")).Error();
        Assert.Equal(30000, whole.GetProperty("asked").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_rolling_total_holds_across_calls()
    {
        var pi = PaymentIntent(40000);
        Assert.False((await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":9000}""")).IsError ?? false);
        var second = (await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":7000}""")).Error();
        Assert.Equal("limits.refunds.maxTotal.usd", second.GetProperty("limit").GetString());
        Assert.Contains("counted across restarts and by every server sharing this state", second.GetProperty("message").GetString());
        Assert.False((await _server.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":6000}""")).IsError ?? false);
        Assert.Equal(2, _sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray().Count);
    }


    [Fact]
    public async Task Payment_link_line_items_are_summed_and_currencies_are_allowed_or_not()
    {
        var product = _sandbox.Execute("POST", "/v1/products", "name=Limited")["id"]!.GetValue<string>();
        var price = _sandbox.Execute("POST", "/v1/prices", $"product={product}&unit_amount=20000&currency=usd")["id"]!.GetValue<string>();
        var over = (await _server.CallAsync("create_payment_link", $$"""{"line_items":[{"price":"{{price}}","quantity":3}]}""")).Error();
        Assert.Equal("limits.create_payment_link.maxAmount.usd", over.GetProperty("limit").GetString());
        Assert.Equal(60000, over.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.False((await _server.CallAsync("create_payment_link", $$"""{"line_items":[{"price":"{{price}}","quantity":2}]}""")).IsError ?? false);

        var gbp = (await _server.CallAsync("create_payment_intent", """{"amount":1000,"currency":"gbp"}""")).Error();
        Assert.Equal("limits.currencies", gbp.GetProperty("limit").GetString());
        Assert.DoesNotContain(_sandbox.Execute("GET", "/v1/payment_intents", "limit=100")["data"]!.AsArray(), p => p!["currency"]!.GetValue<string>() == "gbp");
        var transfer = (await _server.CallAsync("create_transfer", """{"amount":5000,"currency":"eur","destination":"acct_1Whoever"}""")).Error();
        Assert.Equal("limits.transfers.maxAmount.eur", transfer.GetProperty("limit").GetString());
    }

    [Fact]
    public void Limits_config_is_validated_with_paths()
    {
        var problems = OptionsLoader.Load(new CommandLineInputs
        {
            Config = TestFiles.Config("""{ "limits": { "customers": {}, "refundz": {}, "refunds": { "maxTotal": { "usd": 5 }, "maxAmount": { "USD": -1 } }, "currencies": ["usd", "US Dollar"] } }"""),
        }, _ => null).Problems;
        Assert.Contains(problems, p => p.Contains("$.limits.customers: customers moves no money"));
        Assert.Contains(problems, p => p.Contains("$.limits.refundz: unknown resource or tool \"refundz\" (did you mean \"refunds\"?)"));
        Assert.Contains(problems, p => p.Contains("$.limits.refunds.window: is required with maxTotal"));
        Assert.Contains(problems, p => p.Contains("$.limits.refunds.maxAmount.USD: \"USD\" is not a lowercase three-letter currency code"));
        Assert.Contains(problems, p => p.Contains("$.limits.currencies: \"US Dollar\" is not a lowercase three-letter currency code"));
    }
}
