using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// One server for all hostile-answer cases: a 2-second request timeout (the config's http section, which
/// must bound a Stripe call on every transport), no network retries, and a refund limit that needs the
/// payment intent and its charge looked up before anything is sent. A second stand-in is where redirects point.
/// </summary>
public sealed class HostileStripeFixture : IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;
    public FakeStripe Elsewhere { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        Elsewhere = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""
            {
              "toolsets": ["all"],
              "http": { "requestTimeoutSeconds": 2 },
              "limits": { "refunds": { "maxAmount": { "usd": 1000 } } },
              "confirm": { "create_refund": "off" }
            }
            """);
        Server = await TestServer.StartAsync(Stripe, "--config", config, "--max-network-retries", "0");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stripe.DisposeAsync();
        await Elsewhere.DisposeAsync();
    }
}
