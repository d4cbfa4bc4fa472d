using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class ContractFixture : IAsyncLifetime
{
    public const string Account = "acct_1ContractTest";
    public FakeStripe Stripe { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        Server = await TestServer.StartAsync(Stripe, "--tools", "all", "--stripe-account", Account);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
