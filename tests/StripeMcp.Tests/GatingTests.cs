using ModelContextProtocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>tools/list is exactly what the configuration enables; anything else is refused with nothing sent.</summary>
public sealed class GatingTests : IAsyncLifetime
{
    private FakeStripe _stripe = null!;

    public async Task InitializeAsync() => _stripe = await FakeStripe.StartAsync();

    public async Task DisposeAsync() => await _stripe.DisposeAsync();


    /// <summary>The typed tools listed (the generic API path has its own tests, GenericApiTests).</summary>
    private async Task<List<string>> ListedTools(TestServer server) =>
        (await server.Client.ListToolsAsync()).Select(t => t.Name).Where(n => !n.StartsWith("stripe_api_", StringComparison.Ordinal) && n != DocsSearchTool.Name).Order().ToList();

    [Fact]
    public async Task Tools_flag_keys_add_up_instead_of_overwriting_each_other()
    {
        await using var server = await TestServer.StartAsync(_stripe, "--tools", "customers.create,customers.read");
        Assert.Equal(["create_customer", "list_customers", "retrieve_customer", "search_customers"], await ListedTools(server));
    }

    [Fact]
    public async Task Config_actions_in_either_spelling_plus_allow_minus_deny()
    {
        var config = TestFiles.Config("""
            {
              "actions": {
                "payment_links": { "create": true },
                "invoices": { "create": true, "read": true, "update": true },
                "refunds": { "create": false }
              },
              "tools": { "allow": ["retrieve_balance"], "deny": ["finalize_invoice"] }
            }
            """);
        await using var server = await TestServer.StartAsync(_stripe, "--config", config);
        Assert.Equal(["create_invoice", "create_payment_link", "list_invoices", "pay_invoice", "retrieve_balance", "retrieve_invoice", "search_invoices", "send_invoice", "void_invoice"], await ListedTools(server));
    }

    [Fact]
    public async Task Read_only_keeps_only_tools_that_change_nothing()
    {
        await using var server = await TestServer.StartAsync(_stripe, "--tools", "all", "--read-only");
        var tools = await server.Client.ListToolsAsync();
        Assert.Equal(CatalogTests.Rows.Where(r => r.Hints.HasFlag(Tools.Hints.ReadOnly)).Select(r => r.Name).Order(), await ListedTools(server));
        Assert.Equal(48 + 3 + 1, tools.Count); // and the generic path's search, details and read (never write), and the documentation search
        Assert.All(tools, t => Assert.True(t.ProtocolTool.Annotations?.ReadOnlyHint));
    }

    [Fact]
    public async Task Deny_wins_over_the_tools_flag()
    {
        var config = TestFiles.Config("""{ "tools": { "deny": ["create_refund"] } }""");
        await using var server = await TestServer.StartAsync(_stripe, "--config", config, "--tools", "refunds.create,customers.read");
        Assert.Equal(["list_customers", "retrieve_customer", "search_customers"], await ListedTools(server));
    }

    [Fact]
    public async Task Tools_flag_overrides_the_config_files_actions_and_environment_supplies_the_config()
    {
        var config = TestFiles.Config("""{ "actions": { "customers": { "read": true } } }""");
        await using var fromEnv = await TestServer.StartAsync(
            ["--api-key", TestServer.TestKey, "--stripe-api-base", _stripe.BaseUrl],
            new() { ["STRIPE_MCP_CONFIG"] = config });
        Assert.Equal(["list_customers", "retrieve_customer", "search_customers"], await ListedTools(fromEnv));

        await using var flagWins = await TestServer.StartAsync(_stripe, "--config", config, "--tools", "products.read");
        Assert.Equal(["list_products", "retrieve_product", "search_products"], await ListedTools(flagWins));
    }

    [Fact]
    public async Task A_disabled_tool_is_refused_as_unknown_and_nothing_is_sent()
    {
        await using var server = await TestServer.StartAsync(_stripe, "--tools", "customers.read");
        _stripe.Reset();

        var e = await Assert.ThrowsAsync<McpProtocolException>(() => server.CallAsync("create_refund", """{"payment_intent":"pi_1"}"""));
        Assert.Contains("create_refund", e.Message);
        Assert.Empty(_stripe.Requests);
    }

    [Fact]
    public async Task Stripe_toolkit_names_reach_the_same_row_and_gate_and_are_listed_once()
    {
        await using var server = await TestServer.StartAsync(_stripe, "--tools", "account.read,customers.read");
        var listed = await ListedTools(server);
        Assert.Contains("get_account_info", listed);
        Assert.DoesNotContain("get_stripe_account_info", listed);

        _stripe.Reset();
        var result = await server.CallAsync("get_stripe_account_info");
        Assert.False(result.IsError ?? false, result.Text());
        Assert.Equal("/v1/account", Assert.Single(_stripe.Requests).Path);
        await Eventually.True(() => server.Stderr.Any(l => l.Contains(" audit get_account_info ok ")));

        // The config takes the alias for the row: denying it by Stripe's name denies both names.
        var config = TestFiles.Config("""{ "actions": { "account": { "read": true } }, "tools": { "deny": ["get_stripe_account_info"] } }""");
        await using var denied = await TestServer.StartAsync(_stripe, "--config", config);
        Assert.Empty(await ListedTools(denied));
        _stripe.Reset();
        foreach (var name in new[] { "get_stripe_account_info", "get_account_info" })
            Assert.Contains(name, (await Assert.ThrowsAsync<McpProtocolException>(() => denied.CallAsync(name))).Message);
        Assert.Empty(_stripe.Requests);
    }

    [Fact]
    public async Task No_allow_list_starts_with_no_tools_and_says_so_on_stderr()
    {
        await using var server = await TestServer.StartAsync(_stripe);
        Assert.Empty(await server.Client.ListToolsAsync());
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("No tools are enabled")));
    }
}
