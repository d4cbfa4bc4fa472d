using System.Text.Json.Nodes;
using global::Stripe;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Test clocks: advancing one runs, in order, what happens to its customers' subscriptions in that time.</summary>
public sealed class SandboxTestClockTests
{
    private const long Day = 86400;
    private const long Start = 1_798_761_600; // 2027-01-01T00:00:00Z

    private static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    private static (string Clock, string Customer, string Price) World(Sandbox.Sandbox s, string card = "pm_card_visa")
    {
        var clock = Id(s.Execute("POST", "/v1/test_helpers/test_clocks", $"frozen_time={Start}&name=renewals"));
        var customer = Id(s.Execute("POST", "/v1/customers", $"name=Clocked&test_clock={clock}"));
        s.Execute("POST", $"/v1/payment_methods/{card}/attach", $"customer={customer}");
        var price = Id(s.Execute("POST", "/v1/prices", "product_data[name]=Monthly&currency=usd&unit_amount=1500&recurring[interval]=month"));
        return (clock, customer, price);
    }

    private static void Advance(Sandbox.Sandbox s, string clock, long to)
    {
        var answer = s.Execute("POST", $"/v1/test_helpers/test_clocks/{clock}/advance", $"frozen_time={to}");
        Assert.Equal("advancing", answer["status"]!.GetValue<string>());
        var after = s.Execute("GET", $"/v1/test_helpers/test_clocks/{clock}");
        Assert.Equal("ready", after["status"]!.GetValue<string>());
        Assert.Equal(to, after["frozen_time"]!.GetValue<long>());
    }

    private static List<JsonObject> Events(Sandbox.Sandbox s, string type) =>
        [.. s.State.List(SandboxState.Platform, "event").Where(e => e["type"]!.GetValue<string>() == type).Reverse()];

    private static JsonObject Sub(Sandbox.Sandbox s, string id) => s.Execute("GET", $"/v1/subscriptions/{id}");

    [Fact]
    public async Task A_trial_warns_three_days_before_it_ends_then_bills_and_the_paid_invoice_reaches_a_webhook_signed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = [TimeSpan.FromMilliseconds(50)] });
        var hook = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(receiver.Url)}&enabled_events[]=invoice.paid&enabled_events[]=customer.subscription.trial_will_end");
        var (clock, customer, price) = World(sandbox);
        var sub = sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=14");
        Assert.Equal("trialing", sub["status"]!.GetValue<string>());
        Assert.Equal(Start, sub["start_date"]!.GetValue<long>()); // on the clock's time, not the machine's
        Assert.Equal(Start + 14 * Day, sub["trial_end"]!.GetValue<long>());

        Advance(sandbox, clock, Start + 10 * Day);
        Assert.Empty(Events(sandbox, "customer.subscription.trial_will_end"));
        Advance(sandbox, clock, Start + 12 * Day);
        var warned = Assert.Single(Events(sandbox, "customer.subscription.trial_will_end"));
        Assert.Equal(Start + 11 * Day, warned["created"]!.GetValue<long>());
        Assert.Equal("trialing", Sub(sandbox, Id(sub))["status"]!.GetValue<string>());

        Advance(sandbox, clock, Start + 15 * Day);
        var renewed = Sub(sandbox, Id(sub));
        Assert.Equal("active", renewed["status"]!.GetValue<string>());
        var item = renewed["items"]!["data"]![0]!;
        Assert.Equal(Start + 14 * Day, item["current_period_start"]!.GetValue<long>());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Start + 14 * Day).AddMonths(1).ToUnixTimeSeconds(), item["current_period_end"]!.GetValue<long>());
        var invoice = sandbox.Execute("GET", $"/v1/invoices/{renewed["latest_invoice"]}");
        Assert.Equal("paid", invoice["status"]!.GetValue<string>());
        Assert.Equal(1500, invoice["amount_paid"]!.GetValue<long>());
        Assert.Equal("subscription_cycle", invoice["billing_reason"]!.GetValue<string>());

        await Eventually.True(() => receiver.Requests.Count >= 2);
        var secret = sandbox.State.WebhookSecrets[Id(hook)];
        var types = receiver.Requests.Select(r => EventUtility.ConstructEvent(r.Body, r.Signature, secret).Type).ToList();
        Assert.Contains("invoice.paid", types);
        Assert.Contains("customer.subscription.trial_will_end", types);
    }

    [Fact]
    public async Task A_declined_renewal_makes_the_subscription_past_due_retries_on_schedule_then_cancels_it()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, price) = World(sandbox);
        var sub = Id(sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}"));
        Assert.Equal("active", Sub(sandbox, sub)["status"]!.GetValue<string>());
        // The card on file starts declining: the newest attached method is the one charged.
        sandbox.Execute("POST", "/v1/payment_methods/pm_card_chargeDeclinedInsufficientFunds/attach", $"customer={customer}");
        var renewal = DateTimeOffset.FromUnixTimeSeconds(Start).AddMonths(1).ToUnixTimeSeconds();

        Advance(sandbox, clock, renewal + Day);
        Assert.Equal("past_due", Sub(sandbox, sub)["status"]!.GetValue<string>());
        var invoice = sandbox.Execute("GET", $"/v1/invoices/{Sub(sandbox, sub)["latest_invoice"]}");
        Assert.Equal("open", invoice["status"]!.GetValue<string>());
        Assert.Equal(renewal + 3 * Day, invoice["next_payment_attempt"]!.GetValue<long>());
        Assert.Single(Events(sandbox, "invoice.payment_failed"));

        Advance(sandbox, clock, renewal + 4 * Day);  // retry 1 (day 3): declined
        Assert.Equal(2, Events(sandbox, "invoice.payment_failed").Count);
        Advance(sandbox, clock, renewal + 9 * Day);  // retry 2 (day 8): declined
        Assert.Equal(3, Events(sandbox, "invoice.payment_failed").Count);
        Assert.Equal("past_due", Sub(sandbox, sub)["status"]!.GetValue<string>());
        Advance(sandbox, clock, renewal + 20 * Day); // retry 3 (day 15): declined, and the subscription ends
        var ended = Sub(sandbox, sub);
        Assert.Equal("canceled", ended["status"]!.GetValue<string>());
        Assert.Equal("payment_failed", ended["cancellation_details"]!["reason"]!.GetValue<string>());
        Assert.Equal(renewal + 15 * Day, ended["canceled_at"]!.GetValue<long>());
        Assert.Equal(4, Events(sandbox, "invoice.payment_failed").Count);
        Assert.Single(Events(sandbox, "customer.subscription.deleted"));
        Assert.Equal(4, sandbox.Execute("GET", $"/v1/invoices/{invoice["id"]}")["attempt_count"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_new_card_before_the_next_retry_recovers_the_subscription()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, price) = World(sandbox, "pm_card_chargeDeclined");
        var sub = Id(sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}&trial_period_days=7"));
        Advance(sandbox, clock, Start + 8 * Day);
        Assert.Equal("past_due", Sub(sandbox, sub)["status"]!.GetValue<string>());
        var visa = Id(sandbox.Execute("POST", "/v1/payment_methods/pm_card_visa/attach", $"customer={customer}"));
        sandbox.Execute("POST", $"/v1/customers/{customer}", $"invoice_settings[default_payment_method]={visa}");
        Advance(sandbox, clock, Start + 11 * Day);
        Assert.Equal("active", Sub(sandbox, sub)["status"]!.GetValue<string>());
        Assert.Equal("paid", sandbox.Execute("GET", $"/v1/invoices/{Sub(sandbox, sub)["latest_invoice"]}")["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_at_period_end_takes_effect_and_paused_collection_resumes_at_its_time()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, price) = World(sandbox);
        var ending = Id(sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}&cancel_at_period_end=true"));
        var paused = Id(sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}"));
        sandbox.Execute("POST", $"/v1/subscriptions/{paused}", $"pause_collection[behavior]=void&pause_collection[resumes_at]={Start + 40 * Day}");
        var end = DateTimeOffset.FromUnixTimeSeconds(Start).AddMonths(1).ToUnixTimeSeconds();

        Advance(sandbox, clock, end + Day);
        Assert.Equal("canceled", Sub(sandbox, ending)["status"]!.GetValue<string>());
        Assert.Equal(end, Sub(sandbox, ending)["ended_at"]!.GetValue<long>());
        var invoices = sandbox.Execute("GET", "/v1/invoices", $"customer={customer}&limit=100")["data"]!.AsArray();
        Assert.Equal(2, invoices.Count); // the two first invoices: the ended one bills nothing more, the paused one's renewal is voided
        Assert.NotNull(Sub(sandbox, paused)["pause_collection"]);

        Advance(sandbox, clock, Start + 41 * Day);
        Assert.Null(Sub(sandbox, paused)["pause_collection"]);
    }

    [Theory]
    [InlineData("create_prorations")]
    [InlineData("always_invoice")]
    public async Task An_upgrade_mid_cycle_bills_the_difference_for_the_time_left(string behavior)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, price) = World(sandbox);
        var pro = Id(sandbox.Execute("POST", "/v1/prices", "product_data[name]=Pro&currency=usd&unit_amount=3000&recurring[interval]=month"));
        var sub = sandbox.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={price}");
        var item = sub["items"]!["data"]![0]!["id"]!.GetValue<string>();
        Advance(sandbox, clock, Start + 15 * Day); // 16 of January's 31 days are left
        sandbox.Execute("POST", $"/v1/subscriptions/{Id(sub)}", $"items[0][id]={item}&items[0][price]={pro}&proration_behavior={behavior}");

        var prorations = sandbox.Execute("GET", "/v1/invoiceitems", $"customer={customer}")["data"]!.AsArray().Select(i => i!.AsObject())
            .Where(i => i["proration"]!.GetValue<bool>()).OrderBy(i => i["amount"]!.GetValue<long>()).ToList();
        Assert.Equal([-774L, 1548L], prorations.Select(i => i["amount"]!.GetValue<long>())); // −1500 × 16/31, +3000 × 16/31
        Assert.StartsWith("Unused time on 1 × Monthly", prorations[0]["description"]!.GetValue<string>());
        Assert.All(prorations, i => Assert.Equal(Start + 15 * Day, i["period"]!["start"]!.GetValue<long>()));

        var renewal = DateTimeOffset.FromUnixTimeSeconds(Start).AddMonths(1).ToUnixTimeSeconds();
        Advance(sandbox, clock, renewal + Day);
        var invoices = sandbox.Execute("GET", "/v1/invoices", $"customer={customer}&limit=10")["data"]!.AsArray().Select(i => i!.AsObject()).ToList();
        var cycle = invoices.First(i => i["billing_reason"]!.GetValue<string>() == "subscription_cycle");
        if (behavior == "always_invoice")
        {
            var now = Assert.Single(invoices, i => i["billing_reason"]!.GetValue<string>() == "subscription_update");
            Assert.Equal(774, now["amount_paid"]!.GetValue<long>());
            Assert.Equal(3000, cycle["amount_paid"]!.GetValue<long>());
        }
        else Assert.Equal(3000 + 774, cycle["amount_paid"]!.GetValue<long>()); // the new price for the new period, and the difference
        Assert.Equal("paid", cycle["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("release", "released", "active")]
    [InlineData("cancel", "completed", "canceled")]
    public async Task A_schedule_moves_to_its_next_phase_when_the_clock_passes_it_and_ends_as_it_says(string endBehavior, string scheduleStatus, string subStatus)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, price) = World(sandbox);
        var schedule = sandbox.Execute("POST", "/v1/subscription_schedules",
            $"customer={customer}&start_date=now&end_behavior={endBehavior}&phases[0][items][0][price]={price}&phases[0][duration][interval]=month&phases[0][duration][interval_count]=2" +
            $"&phases[1][items][0][price]={price}&phases[1][items][0][quantity]=3");
        var sub = schedule["subscription"]!.GetValue<string>();
        Assert.Equal(Start, schedule["phases"]![0]!["start_date"]!.GetValue<long>()); // on the clock's time
        var second = DateTimeOffset.FromUnixTimeSeconds(Start).AddMonths(2).ToUnixTimeSeconds();

        Advance(sandbox, clock, second - Day);
        Assert.Equal(1, Sub(sandbox, sub)["items"]!["data"]![0]!["quantity"]!.GetValue<long>());
        Advance(sandbox, clock, second + Day);
        var moved = Sub(sandbox, sub);
        Assert.Equal(3, moved["items"]!["data"]![0]!["quantity"]!.GetValue<long>());
        Assert.Equal(4500, sandbox.Execute("GET", $"/v1/invoices/{moved["latest_invoice"]}")["amount_paid"]!.GetValue<long>()); // the renewal bills the new phase
        Assert.Equal(second, sandbox.Execute("GET", $"/v1/subscription_schedules/{schedule["id"]}")["current_phase"]!["start_date"]!.GetValue<long>());

        var end = DateTimeOffset.FromUnixTimeSeconds(second).AddMonths(1).ToUnixTimeSeconds();
        Advance(sandbox, clock, end + Day);
        var done = sandbox.Execute("GET", $"/v1/subscription_schedules/{schedule["id"]}");
        Assert.Equal(scheduleStatus, done["status"]!.GetValue<string>());
        Assert.Equal(subStatus, Sub(sandbox, sub)["status"]!.GetValue<string>());
        if (endBehavior == "release") Assert.Equal(sub, done["released_subscription"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_clock_moves_only_forward_and_deleting_it_deletes_its_customers()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var (clock, customer, _) = World(sandbox);
        var e = Assert.Throws<InvalidOperationException>(() => sandbox.Execute("POST", $"/v1/test_helpers/test_clocks/{clock}/advance", $"frozen_time={Start - 1}"));
        Assert.Contains("only move forward", e.Message);
        sandbox.Execute("DELETE", $"/v1/test_helpers/test_clocks/{clock}");
        Assert.Contains("No such customer", Assert.Throws<InvalidOperationException>(() => sandbox.Execute("GET", $"/v1/customers/{customer}")).Message);
    }
}
