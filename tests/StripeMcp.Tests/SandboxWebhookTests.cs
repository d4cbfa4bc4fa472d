using System.Text.Json;
using System.Text.Json.Nodes;
using global::Stripe;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The sandbox delivers events as Stripe does: to the endpoints that want them, signed with each endpoint's
/// secret (checked here with Stripe.net's own EventUtility), retried until a 2xx, every attempt recorded.
/// </summary>
public sealed class SandboxWebhookTests
{
    private static readonly TimeSpan[] Quick = [TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(150)];

    private static (string Id, string Secret) Endpoint(Sandbox.Sandbox sandbox, string url, params string[] events)
    {
        var created = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(url)}&" + string.Join("&", events.Select(e => $"enabled_events[]={e}")));
        return (created["id"]!.GetValue<string>(), created["secret"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_event_reaches_the_endpoint_signed_so_that_Stripe_net_verifies_it_and_its_pending_webhooks_drop()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = Quick });
        var (endpoint, secret) = Endpoint(sandbox, receiver.Url, "customer.created", "customer.updated");
        Assert.StartsWith("whsec_", secret);
        Assert.Null(sandbox.Execute("GET", $"/v1/webhook_endpoints/{endpoint}")["secret"]); // shown once, on create

        var customer = sandbox.Execute("POST", "/v1/customers", "name=Old name")["id"]!.GetValue<string>();
        sandbox.Execute("POST", $"/v1/customers/{customer}", "name=New name");
        sandbox.Execute("POST", "/v1/products", "name=Not subscribed"); // product.created: not sent to this endpoint
        await Eventually.True(() => receiver.Requests.Count >= 2);
        await Task.Delay(200);
        Assert.Equal(2, receiver.Requests.Count);

        var events = receiver.Requests.Select(r =>
        {
            Assert.StartsWith("application/json", r.ContentType);
            return EventUtility.ConstructEvent(r.Body, r.Signature, secret); // throws on a bad signature, a stale time or another API version
        }).OrderBy(e => e.Type).ToList();
        Assert.Equal(["customer.created", "customer.updated"], events.Select(e => e.Type));
        Assert.Equal(customer, ((Customer)events[0].Data.Object).Id);
        Assert.Equal("Old name", events[1].Data.PreviousAttributes.name.ToString());
        Assert.Equal("New name", ((Customer)events[1].Data.Object).Name);
        Assert.Throws<StripeException>(() => EventUtility.ConstructEvent(receiver.Requests.First().Body, receiver.Requests.First().Signature, "whsec_wrong"));

        await Eventually.True(() => sandbox.Execute("GET", $"/v1/events/{events[0].Id}")["pending_webhooks"]!.GetValue<long>() == 0);
    }

    [Fact]
    public async Task A_handler_that_answers_500_twice_gets_three_attempts_and_the_event_once_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync(500, 500);
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = Quick });
        Endpoint(sandbox, receiver.Url, "*");
        var customer = sandbox.Execute("POST", "/v1/customers", "name=Retry")["id"]!.GetValue<string>();
        var evt = sandbox.Execute("GET", "/v1/events", "type=customer.created")["data"]![0]!;
        Assert.Equal(1, evt["pending_webhooks"]!.GetValue<long>());

        await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Any(a => a.Delivered));
        var attempts = sandbox.State.Webhooks!.Attempts.Where(a => a.EventId == evt["id"]!.GetValue<string>()).ToList();
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Attempt));
        Assert.Equal([500, 500, 200], attempts.Select(a => a.Status ?? 0));
        Assert.Equal(3, receiver.Requests.Count);
        Assert.All(receiver.Requests, r => Assert.Equal(receiver.Requests.First().Body, r.Body)); // the same event each time
        Assert.Equal(0, sandbox.Execute("GET", $"/v1/events/{evt["id"]}")["pending_webhooks"]!.GetValue<long>());
        Assert.Equal(customer, JsonNode.Parse(receiver.Requests.Last().Body)!["data"]!["object"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_handler_that_never_answers_2xx_is_given_up_after_the_schedule_and_a_disabled_endpoint_gets_nothing()
    {
        await using var failing = await WebhookReceiver.StartAsync(500, 500, 500, 500, 500);
        await using var off = await WebhookReceiver.StartAsync();
        await using var sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { WebhookRetries = Quick });
        Endpoint(sandbox, failing.Url, "customer.created");
        var (disabled, _) = Endpoint(sandbox, off.Url, "*");
        sandbox.Execute("POST", $"/v1/webhook_endpoints/{disabled}", "disabled=true");
        sandbox.Execute("POST", "/v1/customers", "name=Nobody home");
        await Eventually.True(() => sandbox.State.Webhooks!.Attempts.Count == Quick.Length + 1);
        await Task.Delay(300);
        Assert.Equal(Quick.Length + 1, failing.Requests.Count);
        Assert.Empty(off.Requests);
        Assert.Equal(1, sandbox.Execute("GET", "/v1/events", "type=customer.created")["data"]![0]!["pending_webhooks"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("url=ftp://example.com/h&enabled_events[]=*", "url")]
    [InlineData("url=https://example.com/h&enabled_events[]=subscription.created", "enabled_events[0]")] // Stripe's is customer.subscription.created
    [InlineData("url=https://example.com/h", "enabled_events")]
    public async Task Endpoints_take_only_http_urls_and_event_types_Stripe_sends(string form, string param)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var e = Assert.Throws<InvalidOperationException>(() => sandbox.Execute("POST", "/v1/webhook_endpoints", form));
        var error = JsonDocument.Parse(e.Message[(e.Message.IndexOf('{'))..]).RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }
}
