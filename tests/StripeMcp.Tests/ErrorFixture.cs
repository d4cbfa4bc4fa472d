using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class ErrorFixture : IAsyncLifetime
{
    public FakeStripe Stripe { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        Server = await TestServer.StartAsync(Stripe, "--tools", "all", "--log-level", "debug");
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
