using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class UnreachableStripeTests
{
    [Fact]
    public async Task Unreachable_Stripe_is_an_error_result_naming_the_api_base_and_the_server_keeps_running()
    {
        var dead = FakeStripe.DeadUrl();
        await using var server = await TestServer.StartAsync(
            ["--api-key", TestServer.TestKey, "--stripe-api-base", dead, "--tools", "all", "--max-network-retries", "1"]);

        var result = await server.CallAsync("create_customer", """{"name":"A"}""");

        Assert.True(result.IsError, result.Text());
        var error = result.Json().GetProperty("error");
        Assert.Equal("network_error", error.GetProperty("type").GetString());
        Assert.Equal(dead, error.GetProperty("api_base").GetString());
        Assert.Contains(dead, error.GetProperty("message").GetString());
        Assert.Contains("may or may not have been applied", error.GetProperty("message").GetString());
        Assert.StartsWith("stripe-mcp-", error.GetProperty("idempotency_key").GetString());

        // Still serving: a second call gets its own answer, and tools/list works.
        var again = await server.CallAsync("retrieve_balance");
        Assert.Contains("Nothing was changed", again.Json().GetProperty("error").GetProperty("message").GetString());
        Assert.NotEmpty(await server.Client.ListToolsAsync());
    }
}
