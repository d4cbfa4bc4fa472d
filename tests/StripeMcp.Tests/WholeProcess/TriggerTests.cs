using System.Text.Json;
using global::Stripe;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>`stripe-mcp sandbox trigger`: a developer tests their own webhook handler offline.</summary>
public sealed class TriggerTests
{
    private const string Secret = "whsec_handlerUnderTest0123456789";

    public static TheoryData<string> Triggerable => [.. Triggers.Recipes.Keys.Order(StringComparer.Ordinal)];

    [Theory, MemberData(nameof(Triggerable))]
    public async Task Each_recipe_makes_Stripe_emit_its_event(string type)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        Triggers.Recipes[type](sandbox);
        Assert.Contains(sandbox.State.List(SandboxState.Platform, "event"), e => e["type"]!.GetValue<string>() == type);
        Assert.Contains(type, Webhooks.EventTypes);
    }

    [Fact]
    public async Task Trigger_delivers_to_the_handler_signed_with_its_secret_retrying_until_it_answers_2xx()
    {
        await using var handler = await WebhookReceiver.StartAsync(500, 503);
        var run = await Commands.RunAsync(["sandbox", "trigger", "invoice.paid", "--url", handler.Url, "--secret", Secret], null);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("", run.Stdout); // with --url, nothing on stdout
        Assert.Equal(3, handler.Requests.Count);
        var evt = EventUtility.ConstructEvent(handler.Requests.Last().Body, handler.Requests.Last().Signature, Secret);
        Assert.Equal("invoice.paid", evt.Type);
        Assert.Equal("paid", ((Invoice)evt.Data.Object).Status);
        Assert.Contains("attempt 3, HTTP 200, delivered", run.Stderr);
        Assert.Contains("1 of 1 event(s) delivered", run.Stderr);
        Assert.DoesNotContain(Secret, run.Stderr);
    }

    [Fact]
    public async Task The_secret_comes_from_STRIPE_WEBHOOK_SECRET_and_without_one_nothing_is_sent()
    {
        await using var handler = await WebhookReceiver.StartAsync();
        var refused = await Commands.RunAsync(["sandbox", "trigger", "customer.created", "--url", handler.Url], null);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--secret whsec_", refused.Stderr);
        Assert.Empty(handler.Requests);

        var run = await Commands.RunAsync(["sandbox", "trigger", "customer.created", "--url", handler.Url], new() { ["STRIPE_WEBHOOK_SECRET"] = Secret });
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal("customer.created", EventUtility.ConstructEvent(handler.Requests.Single().Body, handler.Requests.Single().Signature, Secret).Type);
    }

    [Fact]
    public async Task Without_url_the_event_is_printed_and_an_unknown_type_names_what_can_be_triggered()
    {
        var run = await Commands.RunAsync("sandbox", "trigger", "charge.refunded");
        Assert.Equal(0, run.ExitCode);
        var evt = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("charge.refunded", evt.GetProperty("type").GetString());
        Assert.True(evt.GetProperty("data").GetProperty("object").GetProperty("refunded").GetBoolean());

        var unknown = await Commands.RunAsync("sandbox", "trigger", "subscription.created");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("not an event type Stripe sends", unknown.Stderr);
        Assert.Contains("customer.subscription.created", unknown.Stderr);
        var notYet = await Commands.RunAsync("sandbox", "trigger", "checkout.session.completed");
        Assert.Equal(2, notYet.ExitCode);
        Assert.Contains("cannot trigger it yet", notYet.Stderr);
    }

    [Fact]
    public async Task A_handler_that_is_down_gets_every_attempt_and_trigger_exits_1()
    {
        await using var handler = await WebhookReceiver.StartAsync(500, 500, 500, 500, 500, 500);
        var run = await Commands.RunAsync(["sandbox", "trigger", "product.created", "--url", handler.Url, "--secret", Secret], null);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("giving up", run.Stderr);
        Assert.Contains("0 of 1 event(s) delivered", run.Stderr);
    }
}
