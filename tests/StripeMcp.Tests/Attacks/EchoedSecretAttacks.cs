using ModelContextProtocol;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// A secret a client sends (by mistake, or to see it reflected) never comes back in a JSON-RPC error: an unknown tool,
/// prompt, method or resource URI is named with its secrets masked, the SDK's own errors included.
/// </summary>
public sealed class EchoedSecretAttacks
{
    private const string Live = "sk_live_51EchoedSecretValue0123456789", Restricted = "rk_test_51EchoedSecretValue0123456789", Hook = "whsec_EchoedSecretValue0123456789";

    [Fact]
    public async Task Errors_name_what_the_client_sent_with_its_secrets_masked()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var s = await TestServer.StartAsync(stripe, "--tools", "all");
        var errors = new List<string>
        {
            (await Assert.ThrowsAnyAsync<McpException>(() => s.Client.CallToolAsync(Live).AsTask())).Message,
            (await Assert.ThrowsAnyAsync<McpException>(() => s.Client.GetPromptAsync(Restricted).AsTask())).Message,
            (await Assert.ThrowsAnyAsync<McpException>(() => s.Client.ReadResourceAsync($"stripe://customers/{Hook}").AsTask())).Message,
            (await Assert.ThrowsAnyAsync<McpException>(() => s.Client.SendRequestAsync(new ModelContextProtocol.Protocol.JsonRpcRequest { Method = "tools/" + Live }))).Message,
        };
        foreach (var e in errors)
        {
            Assert.DoesNotContain("EchoedSecretValue", e);
            Assert.Matches("(sk_live|rk_test|whsec)_…", e);
        }
    }
}
