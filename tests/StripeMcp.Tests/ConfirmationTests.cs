using System.Collections.Concurrent;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class ConfirmationTests
{
    private static async Task<(Sandbox.Sandbox Sandbox, string Sub)> SandboxWithSubscription()
    {
        var sandbox = await Sandbox.Sandbox.StartAsync();
        var cus = sandbox.Execute("POST", "/v1/customers", "name=C&payment_method=pm_card_visa")["id"]!.GetValue<string>();
        var prod = sandbox.Execute("POST", "/v1/products", "name=P")["id"]!.GetValue<string>();
        var price = sandbox.Execute("POST", "/v1/prices", $"product={prod}&unit_amount=1000&currency=usd&recurring[interval]=month")["id"]!.GetValue<string>();
        var sub = sandbox.Execute("POST", "/v1/subscriptions", $"customer={cus}&items[0][price]={price}")["id"]!.GetValue<string>();
        return (sandbox, sub);
    }

    private static string Status(Sandbox.Sandbox s, string sub) => s.Execute("GET", $"/v1/subscriptions/{sub}")["status"]!.GetValue<string>();

    [Theory]
    [InlineData("accept", false, "canceled")]
    [InlineData("decline", true, "active")]
    [InlineData("cancel", true, "active")]
    public async Task A_destructive_tool_asks_the_human_first_over_stdio(string answer, bool isError, string status)
    {
        var (sandbox, sub) = await SandboxWithSubscription();
        await using (sandbox)
        {
            var asked = new ConcurrentQueue<string>();
            var options = new McpClientOptions
            {
                Handlers = new McpClientHandlers
                {
                    ElicitationHandler = (p, _) => { asked.Enqueue(p!.Message); return ValueTask.FromResult(new ModelContextProtocol.Protocol.ElicitResult { Action = answer }); },
                },
            };
            await using var server = await TestServer.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all"], client: options);
            var result = await server.CallAsync("cancel_subscription", $$"""{"subscription":"{{sub}}"}""");

            Assert.Equal(isError, result.IsError ?? false);
            var question = Assert.Single(asked);
            Assert.Contains($"Cancel subscription: subscription {sub}", question);
            Assert.Contains("on the platform account", question);
            if (isError) Assert.Contains("declined by the user; nothing was sent", result.Text());
            Assert.Equal(status, Status(sandbox, sub));
        }
    }

    [Fact]
    public async Task The_classic_elicitation_route_works_when_the_client_pins_an_older_protocol()
    {
        var (sandbox, sub) = await SandboxWithSubscription();
        await using (sandbox)
        {
            var options = TestServer.Human("accept");
            options.ProtocolVersion = "2025-11-25";
            await using var server = await TestServer.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", sandbox.BaseUrl, "--tools", "all"], client: options);
            Assert.False((await server.CallAsync("cancel_subscription", $$"""{"subscription":"{{sub}}"}""")).IsError ?? false);
            Assert.Equal("canceled", Status(sandbox, sub));
        }
    }

    [Fact]
    public async Task A_client_that_cannot_ask_is_refused_with_how_to_allow_it_and_confirm_off_skips_the_question()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var mute = await TestServer.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", stripe.BaseUrl, "--tools", "all"], client: TestServer.Human(null));
        stripe.Reset();
        var refused = (await mute.CallAsync("void_invoice", """{"invoice":"in_1"}""")).Error();
        Assert.Equal("confirmation_unavailable", refused.GetProperty("type").GetString());
        Assert.Contains("\"confirm\": {\"void_invoice\": \"off\"}", refused.GetProperty("message").GetString());
        Assert.Empty(stripe.Requests);

        var config = TestFiles.Config("""{ "toolsets": ["all"], "confirm": { "void_invoice": "off", "create_refund": "on" } }""");
        await using var off = await TestServer.StartAsync(["--api-key", "sk_test_confirm", "--stripe-api-base", stripe.BaseUrl, "--config", config], client: TestServer.Human(null));
        Assert.False((await off.CallAsync("void_invoice", """{"invoice":"in_1"}""")).IsError ?? false);
        Assert.Equal("confirmation_unavailable", (await off.CallAsync("create_refund", """{"charge":"ch_1"}""")).Error().GetProperty("type").GetString());
    }
}
