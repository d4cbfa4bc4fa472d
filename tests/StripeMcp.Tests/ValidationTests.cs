using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Bad arguments are refused with an error naming the argument and the rule, and nothing is sent.</summary>
public sealed class ValidationTests(ErrorFixture f) : IClassFixture<ErrorFixture>
{
    [Theory]
    [InlineData("create_price", """{"unit_amount":100,"currency":"usd"}""", "product: is required")]
    [InlineData("create_price", """{"product":"prod_1","unit_amount":"100","currency":"usd"}""", "unit_amount: must be a whole number")]
    [InlineData("create_price", """{"product":"prod_1","unit_amount":-5,"currency":"usd"}""", "unit_amount: must be a whole number from 0 to 99999999, got -5")]
    [InlineData("create_price", """{"product":"prod_1","unit_amount":12.5,"currency":"usd"}""", "unit_amount: must be a whole number")]
    [InlineData("create_price", """{"product":"prod_1","unit_amount":100,"currency":"usd","recurring":{"interval":"fortnight"}}""", "recurring.interval: must be one of \"day\", \"week\", \"month\", \"year\"")]
    [InlineData("create_refund", """{"payment_intent":"pi_1","amont":5}""", "amont: unknown argument (did you mean \"amount\"?)")]
    [InlineData("create_refund", """{"payment_intent":"pi_1","amount":0}""", "amount: must be a whole number from 1")]
    [InlineData("create_refund", """{"amount":5}""", "payment_intent / charge: give exactly one of them, got none")]
    [InlineData("create_refund", """{"payment_intent":"pi_1","charge":"ch_1"}""", "give exactly one of them, got payment_intent and charge")]
    [InlineData("finalize_invoice", """{"invoice":"in_1/../../v1/refunds"}""", "invoice: must be a Stripe id")]
    [InlineData("finalize_invoice", """{"invoice":"in_1?expand=x"}""", "invoice: must be a Stripe id")]
    [InlineData("finalize_invoice", """{"invoice":"in_1#x"}""", "invoice: must be a Stripe id")]
    [InlineData("finalize_invoice", """{"invoice":"in 1"}""", "invoice: must be a Stripe id")]
    [InlineData("finalize_invoice", """{"invoice":"in..1"}""", "invoice: must be a Stripe id")]
    [InlineData("cancel_subscription", """{}""", "subscription: is required")]
    [InlineData("list_customers", """{"limit":101}""", "limit: must be a whole number from 1 to 100, got 101")]
    [InlineData("list_customers", """{"limit":true}""", "limit: must be a whole number from 1 to 100, got a boolean")]
    [InlineData("create_customer", """{"metadata":{"k":1}}""", "metadata.k: must be a string")]
    [InlineData("create_coupon", """{"amount_off":500}""", "currency: is required when amount_off is given")]
    [InlineData("create_coupon", """{"percent_off":10,"duration":"repeating"}""", "duration_in_months: is required when duration is \"repeating\"")]
    [InlineData("create_payment_link", """{"line_items":[]}""", "line_items: must have 1 to 20 items, got 0")]
    [InlineData("create_payment_link", """{"line_items":[{"price":"price_1"}]}""", "line_items[0].quantity: is required")]
    [InlineData("create_invoice", """{"customer":"cus_1","days_until_due":30}""", "days_until_due: only applies with collection_method \"send_invoice\"")]
    public async Task Bad_arguments_are_refused_before_anything_is_sent(string tool, string args, string expected)
    {
        f.Stripe.Reset();
        var result = await f.Server.CallAsync(tool, args);

        Assert.True(result.IsError, result.Text());
        var error = result.Json().GetProperty("error");
        Assert.Equal("invalid_arguments", error.GetProperty("type").GetString());
        Assert.Contains(expected, error.GetProperty("message").GetString());
        Assert.Contains("nothing was sent to Stripe", error.GetProperty("message").GetString());
        Assert.Empty(f.Stripe.Requests);
    }
}
