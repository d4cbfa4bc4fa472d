using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>A sandbox and the server over stdio pointed at it, both in the test process, with every tool.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    public Sandbox.Sandbox Sandbox { get; private set; } = null!;
    public TestServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync();
        Server = await TestServer.StartAsync(["--api-key", "sk_test_scenarios", "--stripe-api-base", Sandbox.BaseUrl, "--tools", "all"]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Sandbox.DisposeAsync();
    }
}
