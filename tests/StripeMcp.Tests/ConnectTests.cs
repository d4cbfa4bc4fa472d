using System.Text.Json;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Connect: a Stripe-Account scopes everything, and per-call accounts are limited to the configured list.</summary>
public sealed class ConnectTests
{

    private static string Id(JsonElement o) => o.GetProperty("id").GetString()!;

    private static async Task<JsonElement> Ok(TestServer s, string tool, string args = "{}")
    {
        var r = await s.CallAsync(tool, args);
        Assert.False(r.IsError ?? false, $"{tool}: {r.Text()}");
        return r.Json();
    }

    private static IEnumerable<string> Ids(JsonElement list) => list.GetProperty("data").EnumerateArray().Select(Id);

    [Fact]
    public async Task Two_connected_accounts_cannot_see_each_other_or_be_seen_by_the_platform()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""{ "toolsets": ["customers", "connect"], "context": { "accounts": "*" } }""");
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_connect", "--stripe-api-base", sandbox.BaseUrl, "--config", config]);

        var a = Id(await Ok(server, "create_connected_account", """{"type":"custom","country":"US","capabilities":{"transfers":{"requested":true}}}"""));
        var b = Id(await Ok(server, "create_connected_account", """{"type":"express","capabilities":{"card_payments":{"requested":true}}}"""));
        var ofA = Id(await Ok(server, "create_customer", $$"""{"name":"Customer of A","account":"{{a}}"}"""));
        var ofB = Id(await Ok(server, "create_customer", $$"""{"name":"Customer of B","account":"{{b}}"}"""));
        var ofPlatform = Id(await Ok(server, "create_customer", """{"name":"Platform customer"}"""));

        Assert.Equal([ofA], Ids(await Ok(server, "list_customers", $$"""{"account":"{{a}}"}""")));
        Assert.Equal([ofB], Ids(await Ok(server, "list_customers", $$"""{"account":"{{b}}"}""")));
        var platform = Ids(await Ok(server, "list_customers")).ToList();
        Assert.Contains(ofPlatform, platform);
        Assert.DoesNotContain(ofA, platform);
        Assert.DoesNotContain(ofB, platform);

        var crossed = await server.CallAsync("retrieve_customer", $$"""{"customer":"{{ofA}}","account":"{{b}}"}""");
        Assert.True(crossed.IsError);
        Assert.Equal("resource_missing", crossed.Json().GetProperty("error").GetProperty("code").GetString());

        var unknown = await server.CallAsync("list_customers", """{"account":"acct_1DoesNotExist"}""");
        Assert.True(unknown.IsError);
        Assert.Equal(403, unknown.Json().GetProperty("error").GetProperty("http_status").GetInt32());

        // Platform-level tools never take a per-call account.
        var tools = await server.Client.ListToolsAsync();
        Assert.False(tools.Single(t => t.Name == "create_connected_account").JsonSchema.GetProperty("properties").TryGetProperty("account", out _));
        Assert.True(tools.Single(t => t.Name == "list_customers").JsonSchema.GetProperty("properties").TryGetProperty("account", out _));
    }

    [Fact]
    public async Task The_fixed_context_account_scopes_every_call()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var acct = sandbox.Execute("POST", "/v1/accounts", "type=custom&capabilities[transfers][requested]=true")["id"]!.GetValue<string>();
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_connect", "--stripe-api-base", sandbox.BaseUrl, "--toolsets", "customers", "--stripe-account", acct]);

        var created = Id(await Ok(server, "create_customer", """{"name":"Scoped"}"""));

        Assert.Single(sandbox.Execute("GET", "/v1/customers", account: acct)["data"]!.AsArray());
        Assert.Empty(sandbox.Execute("GET", "/v1/customers")["data"]!.AsArray());
        var tools = await server.Client.ListToolsAsync();
        Assert.False(tools.Single(t => t.Name == "list_customers").JsonSchema.GetProperty("properties").TryGetProperty("account", out _));
        var refused = await server.CallAsync("retrieve_customer", $$"""{"customer":"{{created}}","account":"{{acct}}"}""");
        Assert.Contains("account: unknown argument", refused.Text());
    }

    [Fact]
    public async Task An_account_outside_the_list_is_refused_before_anything_is_sent()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "actions": { "customers": { "read": true } }, "context": { "account": "acct_1Default", "accounts": ["acct_1Allowed"] } }""");
        await using var server = await TestServer.StartAsync(stripe, "--config", config);

        stripe.Reset();
        var refused = await server.CallAsync("list_customers", """{"account":"acct_1Other"}""");
        Assert.True(refused.IsError);
        Assert.Contains("acct_1Other is not an account this server may act for; allowed: acct_1Allowed", refused.Text());
        Assert.Empty(stripe.Requests);

        await server.CallAsync("list_customers", """{"account":"acct_1Allowed"}""");
        await server.CallAsync("list_customers");
        var sent = stripe.Requests.ToList();
        Assert.Equal("acct_1Allowed", sent[0].Header("Stripe-Account"));
        Assert.Equal("acct_1Default", sent[1].Header("Stripe-Account"));
        Assert.DoesNotContain("account=", sent[0].Query);
    }

    [Theory]
    [InlineData("""["acct_1Allowed", "acct_1Second"]""", "acct_1Default", "one of acct_1Allowed, acct_1Second", "on behalf of acct_1Default")]
    [InlineData("\"*\"", null, "any connected account of this platform", "on the platform account itself")]
    public async Task The_account_argument_and_the_instructions_say_which_accounts_the_agent_may_use(string accounts, string? fallback, string may, string without)
    {
        await using var stripe = await FakeStripe.StartAsync();
        var context = fallback is null ? $$"""{ "accounts": {{accounts}} }""" : $$"""{ "account": "{{fallback}}", "accounts": {{accounts}} }""";
        var config = TestFiles.Config($$"""{ "toolsets": ["customers", "connect"], "context": {{context}} }""");
        await using var server = await TestServer.StartAsync(stripe, "--config", config);

        var tools = await server.Client.ListToolsAsync();
        var description = tools.Single(t => t.Name == "list_customers").JsonSchema.GetProperty("properties").GetProperty("account").GetProperty("description").GetString();
        Assert.Contains(may, description);
        Assert.Contains(without, description);
        // Connect's own management tools act for the platform: they have no account argument.
        Assert.False(tools.Single(t => t.Name == "create_connected_account").JsonSchema.GetProperty("properties").TryGetProperty("account", out _));

        var instructions = server.Client.ServerInstructions!;
        Assert.DoesNotContain("one Stripe account", instructions);
        Assert.Contains("`account` argument", instructions);
        Assert.Contains(fallback is null ? "any connected account" : "acct_1Allowed, acct_1Second", instructions);
    }
}
