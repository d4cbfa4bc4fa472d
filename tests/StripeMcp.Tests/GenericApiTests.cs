using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The generic path (stripe_api_search, _details, _read, _write) through the MCP client against the sandbox:
/// it shows and calls only what the policy enables, and every protection of the typed tools holds.
/// </summary>
public sealed class GenericApiTests
{
    private static Task<TestServer> Start(Sandbox.Sandbox sandbox, params string[] args) =>
        TestServer.StartAsync(["--api-key", "sk_test_generic", "--stripe-api-base", sandbox.BaseUrl, .. args]);

    private static async Task<List<string>> Names(TestServer s) => [.. (await s.Client.ListToolsAsync()).Select(t => t.Name)];

    private static string Ops(JsonElement search) => string.Join(",", search.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation").GetString()));

    [Fact]
    public async Task Search_and_details_show_only_what_the_policy_enables_and_anything_else_is_refused_with_nothing_sent()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await Start(sandbox, "--tools", "customers.read");
        var names = await Names(server);
        Assert.Contains("stripe_api_search", names);
        Assert.Contains("stripe_api_details", names);
        Assert.Contains("stripe_api_read", names);
        Assert.DoesNotContain("stripe_api_write", names); // customers.read enables no write

        var search = await server.CallAsync("stripe_api_search", """{"query":"list a customer's payment methods"}""");
        Assert.True(search.IsError != true, search.Text());
        var found = search.Json();
        Assert.StartsWith("GetCustomersCustomerPaymentMethods", Ops(found));
        Assert.All(found.GetProperty("operations").EnumerateArray(), o => Assert.Equal("customers.read", o.GetProperty("permission").GetString()));
        Assert.Equal("", Ops((await server.CallAsync("stripe_api_search", """{"query":"accept a quote"}""")).Json()));

        var before = sandbox.Counters.Requests;
        var details = await server.CallAsync("stripe_api_details", """{"operation":"PostQuotesQuoteAccept"}""");
        Assert.Equal("operation_not_allowed", details.Error().GetProperty("type").GetString());
        var call = await server.CallAsync("stripe_api_read", """{"operation":"GetQuotes","arguments":{}}""");
        Assert.Equal("operation_not_allowed", call.Error().GetProperty("type").GetString());
        var write = await server.CallAsync("stripe_api_read", """{"operation":"PostCustomers","arguments":{"name":"x"}}""");
        Assert.Equal("operation_not_allowed", write.Error().GetProperty("type").GetString());
        // Outside attack: a 200,000-character operation id held a core for 39 s looking for the closest id. Ids are short.
        var huge = await server.CallAsync("stripe_api_read", JsonSerializer.Serialize(new { operation = new string('G', 200_000), arguments = new { } }));
        Assert.Contains("operation: must be at most 100 characters", huge.Text());
        Assert.Contains("operation: must be a string", (await server.CallAsync("stripe_api_details", """{"operation":123}""")).Text());
        Assert.Equal(before, sandbox.Counters.Requests);

        // An enabled operation, typed or not, is callable and answers with Stripe's object.
        var listed = await server.CallAsync("stripe_api_read", """{"operation":"GetCustomers","arguments":{"limit":2}}""");
        Assert.True(listed.IsError != true, listed.Text());
        var list = listed.Json();
        Assert.Equal("list", list.GetProperty("object").GetString());
    }

    [Fact]
    public async Task Details_list_parameters_and_a_write_checks_them_before_anything_is_sent()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await Start(sandbox, "--tools", "quotes.create,quotes.update,quotes.read,customers.create");
        var details = (await server.CallAsync("stripe_api_details", """{"operation":"PostQuotes"}""")).Json();
        Assert.Equal("POST", details.GetProperty("method").GetString());
        Assert.Equal("quotes.create", details.GetProperty("permission").GetString());
        var parameters = details.GetProperty("parameters").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal("array", parameters["line_items"].GetProperty("type").GetString());
        Assert.Equal(["charge_automatically", "send_invoice"], parameters["collection_method"].GetProperty("enum").EnumerateArray().Select(e => e.GetString()));

        var before = sandbox.Counters.Requests;
        var unknown = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotes","arguments":{"customer":"cus_1","colection_method":"send_invoice"}}""")).Error();
        Assert.Equal("invalid_arguments", unknown.GetProperty("type").GetString());
        Assert.Contains("did you mean \"collection_method\"", unknown.GetProperty("message").GetString());
        var wrongType = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotes","arguments":{"customer":"cus_1","collection_method":"by_pigeon"}}""")).Error();
        Assert.Equal("invalid_arguments", wrongType.GetProperty("type").GetString());
        var badId = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotesQuoteFinalize","arguments":{"quote":"."}}""")).Error();
        Assert.Equal("invalid_arguments", badId.GetProperty("type").GetString());
        var readAsWrite = (await server.CallAsync("stripe_api_write", """{"operation":"GetQuotes","arguments":{}}""")).Error();
        Assert.Contains("call it with stripe_api_read", readAsWrite.ToString());
        var stray = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotes","customer":"cus_1"}""")).Error();
        Assert.Contains("go in `arguments`", stray.ToString());
        Assert.Equal(before, sandbox.Counters.Requests);

        // A valid write reaches Stripe through the same gateway, with an idempotency key.
        var created = await server.CallAsync("stripe_api_write", """{"operation":"PostCustomers","arguments":{"name":"Generic Co"}}""");
        Assert.Equal("Generic Co", created.Json().GetProperty("name").GetString());
    }

    [Fact]
    public async Task Read_only_hides_write_and_a_denied_typed_tool_denies_its_operation()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using (var readOnly = await Start(sandbox, "--toolsets", "billing", "--read-only"))
        {
            var names = await Names(readOnly);
            Assert.Contains("stripe_api_read", names);
            Assert.DoesNotContain("stripe_api_write", names);
            Assert.DoesNotContain("PostQuotes", Ops((await readOnly.CallAsync("stripe_api_search", """{"query":"create a quote","limit":50}""")).Json()));
        }
        var config = TestFiles.Config("""{ "actions": { "customers": { "read": true } }, "tools": { "deny": ["list_customers", "GetCustomersCustomerPaymentMethods"] } }""");
        await using var denied = await Start(sandbox, "--config", config);
        foreach (var op in new[] { "GetCustomers", "GetCustomersCustomerPaymentMethods" })
        {
            var refused = (await denied.CallAsync("stripe_api_read", $$$"""{"operation":"{{{op}}}","arguments":{}}""")).Error();
            Assert.Equal("operation_not_allowed", refused.GetProperty("type").GetString());
        }
        Assert.DoesNotContain("GetCustomersCustomerPaymentMethods", Ops((await denied.CallAsync("stripe_api_search", """{"query":"customer payment methods"}""")).Json()).Split(','));
    }

    [Fact]
    public async Task With_limits_configured_an_operation_whose_amount_cannot_be_measured_is_refused_and_a_typed_one_keeps_its_limit()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""
            { "actions": { "quotes": { "create": true, "update": true }, "refunds": { "create": true }, "taxRates": { "create": true } }, "confirm": { "create_refund": "off" },
              "limits": { "refunds": { "maxAmount": { "usd": 500 } } } }
            """);
        await using var server = await Start(sandbox, "--config", config);
        var before = sandbox.Counters.Requests;
        var quote = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotes","arguments":{"customer":"cus_1","line_items":[{"price":"price_1","quantity":3}]}}""")).Error();
        Assert.Equal("limit_unverifiable", quote.GetProperty("type").GetString());
        Assert.Equal(before, sandbox.Counters.Requests);
        // Accepting a quote bills the customer, with no amount among its parameters: refused too.
        var accept = (await server.CallAsync("stripe_api_write", """{"operation":"PostQuotesQuoteAccept","arguments":{"quote":"qt_1"}}""")).Error();
        Assert.Equal("limit_unverifiable", accept.GetProperty("type").GetString());
        Assert.Equal(before, sandbox.Counters.Requests);
        // A tax rate moves no money: it goes on.
        var rate = await server.CallAsync("stripe_api_write", """{"operation":"PostTaxRates","arguments":{"display_name":"VAT","percentage":20,"inclusive":false}}""");
        Assert.NotEqual("limit_unverifiable", rate.IsError == true ? rate.Error().GetProperty("type").GetString() : "ok");
        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=5000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();
        var refund = (await server.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefunds","arguments":{"payment_intent":"{{{pi}}}","amount":900}}""")).Error();
        Assert.Equal("limits.refunds.maxAmount.usd", refund.GetProperty("limit").GetString());
        Assert.Empty(sandbox.Execute("GET", "/v1/refunds", $"payment_intent={pi}")["data"]!.AsArray());
    }

    [Fact]
    public async Task A_policy_whose_permissions_the_typed_tools_cover_publishes_no_generic_tool()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await Start(sandbox, "--tools", "refunds.create,refunds.read,account.read");
        Assert.DoesNotContain(await Names(server), n => n.StartsWith("stripe_api_", StringComparison.Ordinal));
    }
}
