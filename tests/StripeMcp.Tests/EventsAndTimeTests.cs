using System.Text.Json;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Webhook endpoints and test clocks as tools, through the MCP client against the sandbox.</summary>
public sealed class EventsAndTimeTests
{
    private static Task<TestServer> Start(Sandbox.Sandbox sandbox, string key = "sk_test_time", params string[] more) =>
        TestServer.StartAsync(["--api-key", key, "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "events,billing,customers,catalog,payments", .. more]);

    private static async Task<JsonElement> Ok(TestServer s, string tool, string args)
    {
        var r = await s.CallAsync(tool, args);
        Assert.True(r.IsError != true, $"{tool}: {r.Text()}");
        return r.Json();
    }

    [Fact]
    public async Task Webhook_endpoints_are_managed_with_the_signing_secret_never_shown_in_full()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var created = await s.CallAsync("create_webhook_endpoint", """{"url":"https://example.com/hooks","enabled_events":["invoice.paid","invoice.payment_failed"]}""");
        Assert.True(created.IsError != true, created.Text());
        var id = created.Json().GetProperty("id").GetString()!;
        var secret = sandbox.State.WebhookSecrets[id];
        Assert.DoesNotContain(secret, created.Text());
        Assert.DoesNotContain(secret[6..], created.Text());
        Assert.StartsWith("whsec_", created.Json().GetProperty("secret").GetString());

        Assert.Equal(id, (await Ok(s, "list_webhook_endpoints", "{}")).GetProperty("data")[0].GetProperty("id").GetString());
        Assert.Equal("disabled", (await Ok(s, "update_webhook_endpoint", $$"""{"webhook_endpoint":"{{id}}","disabled":true}""")).GetProperty("status").GetString());
        var bad = await s.CallAsync("update_webhook_endpoint", $$"""{"webhook_endpoint":"{{id}}","enabled_events":["subscription.created"]}""");
        Assert.True(bad.IsError);
        Assert.Contains("enabled_events[0]", bad.Text()); // Stripe's refusal, naming the parameter
        Assert.True((await Ok(s, "delete_webhook_endpoint", $$"""{"webhook_endpoint":"{{id}}"}""")).GetProperty("deleted").GetBoolean());
        Assert.Empty(sandbox.State.WebhookSecrets);
    }

    [Fact]
    public async Task A_trial_on_a_test_clock_is_run_ahead_with_the_tools_and_bills_when_it_ends()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        const long start = 1_798_761_600;
        var clock = (await Ok(s, "create_test_clock", $$"""{"frozen_time":{{start}},"name":"trial run"}""")).GetProperty("id").GetString()!;
        var customer = (await Ok(s, "create_customer", $$"""{"name":"On the clock","test_clock":"{{clock}}","payment_method":"pm_card_visa"}""")).GetProperty("id").GetString()!;
        var product = (await Ok(s, "create_product", """{"name":"Plan"}""")).GetProperty("id").GetString()!;
        var price = (await Ok(s, "create_price", $$$"""{"product":"{{{product}}}","currency":"usd","unit_amount":900,"recurring":{"interval":"month"}}""")).GetProperty("id").GetString()!;
        var sub = await Ok(s, "create_subscription", $$"""{"customer":"{{customer}}","items":[{"price":"{{price}}"}],"trial_period_days":7}""");
        Assert.Equal("trialing", sub.GetProperty("status").GetString());

        var advancing = await Ok(s, "advance_test_clock", $$"""{"test_clock":"{{clock}}","frozen_time":{{start + 8 * 86400}}}""");
        Assert.Equal("advancing", advancing.GetProperty("status").GetString());
        Assert.Equal("ready", (await Ok(s, "retrieve_test_clock", $$"""{"test_clock":"{{clock}}"}""")).GetProperty("status").GetString());
        var after = await Ok(s, "retrieve_subscription", $$"""{"subscription":"{{sub.GetProperty("id").GetString()}}"}""");
        Assert.Equal("active", after.GetProperty("status").GetString());
        var events = await Ok(s, "list_events", """{"type":"invoice.paid"}""");
        Assert.Contains(events.GetProperty("data").EnumerateArray(), e => e.GetProperty("data").GetProperty("object").GetProperty("amount_paid").GetInt64() == 900);

        var backwards = await s.CallAsync("advance_test_clock", $$"""{"test_clock":"{{clock}}","frozen_time":{{start}}}""");
        Assert.True(backwards.IsError);
        Assert.Contains("only move forward", backwards.Text());
    }

    [Fact]
    public async Task Test_clock_tools_exist_only_in_test_mode()
    {
        var live = await Commands.RunAsync("tools", "--toolsets", "billing", "--api-key", "rk_live_abcdefghijklmnop", "--allow-live");
        Assert.Equal(0, live.ExitCode);
        Assert.DoesNotContain("test_clock", live.Stdout);
        var test = await Commands.RunAsync("tools", "--toolsets", "billing", "--api-key", "rk_test_abcdefghijklmnop");
        Assert.Contains("advance_test_clock", test.Stdout);
    }
}
