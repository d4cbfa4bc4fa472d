using System.Text.Json.Nodes;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// A limit must hold for every tool that can set, raise or trigger an amount, not only the tool that
/// first names it. Each test tries to move more than a limit allows through a tool other than create_*;
/// each would have succeeded before the limit covered that tool.
/// </summary>
public sealed class LimitBypassTests : IAsyncLifetime
{
    private Sandbox.Sandbox _sandbox = null!;
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""
            {
              "toolsets": ["all"],
              "confirm": { "cancel_subscription": "off" },
              "limits": {
                "paymentIntents": { "maxAmount": { "usd": 1000 } },
                "invoices": { "maxAmount": { "usd": 5000 } },
                "subscriptions": { "maxAmount": { "usd": 3000 } }
              }
            }
            """);
        _server = await TestServer.StartAsync(["--api-key", "sk_test_bypass", "--stripe-api-base", _sandbox.BaseUrl, "--config", config]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private string Make(string path, string form) => _sandbox.Execute("POST", path, form)["id"]!.GetValue<string>();

    private JsonNode Get(string path) => _sandbox.Execute("GET", path, "");

    [Fact]
    public async Task The_start_up_log_names_the_enabled_tools_that_move_money_and_no_limit_covers()
    {
        await Eventually.True(() => _server.Stderr.Any(l => l.Contains("no limit covers these enabled tools")));
        var line = _server.Stderr.First(l => l.Contains("no limit covers"));
        Assert.Contains("create_refund", line);
        Assert.Contains("create_transfer", line);
        Assert.DoesNotContain("confirm_payment_intent", line);
    }

    [Fact]
    public async Task Raising_a_payment_intent_with_update_is_refused_and_the_intent_keeps_its_amount()
    {
        var created = (await _server.CallAsync("create_payment_intent", """{"amount":500,"currency":"usd"}""")).Json();
        var pi = created.GetProperty("id").GetString()!;

        var error = (await _server.CallAsync("update_payment_intent", $$"""{"payment_intent":"{{pi}}","amount":500000}""")).Error();
        Assert.Equal("limits.paymentIntents.maxAmount.usd", error.GetProperty("limit").GetString());
        Assert.Equal(500, Get($"/v1/payment_intents/{pi}")["amount"]!.GetValue<long>());

        // A currency change alone keeps the amount; the limit has no cap for eur, so it is refused too.
        var eur = (await _server.CallAsync("update_payment_intent", $$"""{"payment_intent":"{{pi}}","currency":"eur"}""")).Error();
        Assert.Equal("limits.paymentIntents.maxAmount", eur.GetProperty("limit").GetString());
    }

    [Fact]
    public async Task Confirming_an_intent_made_too_large_elsewhere_is_refused_and_nothing_is_charged()
    {
        // Created outside the server (or before the limit existed): the confirm is what charges it.
        var pi = Make("/v1/payment_intents", "amount=500000&currency=usd");
        var error = (await _server.CallAsync("confirm_payment_intent", $$"""{"payment_intent":"{{pi}}","payment_method":"pm_card_visa"}""")).Error();
        Assert.Equal("limits.paymentIntents.maxAmount.usd", error.GetProperty("limit").GetString());
        Assert.Equal(500000, error.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.NotEqual("succeeded", Get($"/v1/payment_intents/{pi}")["status"]!.GetValue<string>());

        var small = Make("/v1/payment_intents", "amount=800&currency=usd");
        Assert.False((await _server.CallAsync("confirm_payment_intent", $$"""{"payment_intent":"{{small}}","payment_method":"pm_card_visa"}""")).IsError ?? false);
    }

    [Fact]
    public async Task Finalizing_paying_and_sending_an_invoice_over_the_limit_are_refused()
    {
        var cus = Make("/v1/customers", "name=Big&payment_method=pm_card_visa");
        var invoice = Make("/v1/invoices", $"customer={cus}");
        Make("/v1/invoiceitems", $"customer={cus}&invoice={invoice}&amount=9000&currency=usd");

        var finalize = (await _server.CallAsync("finalize_invoice", $$"""{"invoice":"{{invoice}}"}""")).Error();
        Assert.Equal("limits.invoices.maxAmount.usd", finalize.GetProperty("limit").GetString());
        Assert.Equal("draft", Get($"/v1/invoices/{invoice}")["status"]!.GetValue<string>());

        var pay = (await _server.CallAsync("pay_invoice", $$"""{"invoice":"{{invoice}}","payment_method":"pm_card_visa"}""")).Error();
        Assert.Equal("limits.invoices.maxAmount.usd", pay.GetProperty("limit").GetString());
        Assert.NotEqual("paid", Get($"/v1/invoices/{invoice}")["status"]!.GetValue<string>());

        // Recording a payment made outside Stripe moves nothing, so no limit stands in its way.
        Assert.False((await _server.CallAsync("pay_invoice", $$"""{"invoice":"{{invoice}}","paid_out_of_band":true}""")).IsError ?? false);
    }

    [Fact]
    public async Task An_invoice_Stripe_would_collect_on_its_own_is_refused_when_limits_apply()
    {
        var cus = Make("/v1/customers", "name=Auto");
        var error = (await _server.CallAsync("create_invoice", $$"""{"customer":"{{cus}}","auto_advance":true}""")).Error();
        Assert.Equal("limit_unverifiable", error.GetProperty("type").GetString());
        Assert.Contains("auto_advance", error.GetProperty("message").GetString());
        Assert.Empty(_sandbox.Execute("GET", "/v1/invoices", $"customer={cus}")["data"]!.AsArray());
    }

    [Fact]
    public async Task A_subscription_raised_by_quantity_or_a_pricier_price_is_refused()
    {
        var cus = Make("/v1/customers", "name=Seats&payment_method=pm_card_visa");
        var prod = Make("/v1/products", "name=Seat");
        var cheap = Make("/v1/prices", $"product={prod}&unit_amount=1000&currency=usd&recurring[interval]=month");
        var dear = Make("/v1/prices", $"product={prod}&unit_amount=4000&currency=usd&recurring[interval]=month");

        var tooMany = (await _server.CallAsync("create_subscription", $$"""{"customer":"{{cus}}","items":[{"price":"{{cheap}}","quantity":4}]}""")).Error();
        Assert.Equal(4000, tooMany.GetProperty("asked").GetProperty("amount").GetInt64());

        var sub = (await _server.CallAsync("create_subscription", $$"""{"customer":"{{cus}}","items":[{"price":"{{cheap}}","quantity":2}]}""")).Json();
        var subId = sub.GetProperty("id").GetString()!;
        var item = sub.GetProperty("items").GetProperty("data")[0].GetProperty("id").GetString()!;

        var quantity = (await _server.CallAsync("update_subscription", $$"""{"subscription":"{{subId}}","items":[{"id":"{{item}}","quantity":5}]}""")).Error();
        Assert.Equal(5000, quantity.GetProperty("asked").GetProperty("amount").GetInt64());
        var swap = (await _server.CallAsync("update_subscription", $$"""{"subscription":"{{subId}}","items":[{"id":"{{item}}","price":"{{dear}}"}]}""")).Error();
        Assert.Equal(8000, swap.GetProperty("asked").GetProperty("amount").GetInt64());
        var added = (await _server.CallAsync("update_subscription", $$"""{"subscription":"{{subId}}","items":[{"price":"{{cheap}}","quantity":2}]}""")).Error();
        Assert.Equal(4000, added.GetProperty("asked").GetProperty("amount").GetInt64());
        Assert.Equal(2, Get($"/v1/subscriptions/{subId}")["items"]!["data"]![0]!["quantity"]!.GetValue<long>());

        // Within the limit, and changes that move nothing, go through.
        Assert.False((await _server.CallAsync("update_subscription", $$"""{"subscription":"{{subId}}","items":[{"id":"{{item}}","quantity":3}]}""")).IsError ?? false);
        Assert.False((await _server.CallAsync("update_subscription", $$$"""{"subscription":"{{{subId}}}","metadata":{"a":"b"}}""")).IsError ?? false);

        // An item that is not on the subscription cannot be priced: refused, not guessed.
        var stranger = (await _server.CallAsync("update_subscription", $$"""{"subscription":"{{subId}}","items":[{"id":"si_notOnIt","quantity":1}]}""")).Error();
        Assert.Equal("limit_unverifiable", stranger.GetProperty("type").GetString());

        var invoiceNow = (await _server.CallAsync("cancel_subscription", $$"""{"subscription":"{{subId}}","invoice_now":true}""")).Error();
        Assert.Equal("limit_unverifiable", invoiceNow.GetProperty("type").GetString());
        Assert.NotEqual("canceled", Get($"/v1/subscriptions/{subId}")["status"]!.GetValue<string>());
    }
}
