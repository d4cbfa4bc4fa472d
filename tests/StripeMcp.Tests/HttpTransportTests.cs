using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class HttpTransportTests(HttpFixture f) : IClassFixture<HttpFixture>
{
    private static async Task<List<string>> Names(McpClient c) => (await c.ListToolsAsync()).Select(t => t.Name).Order().ToList();

    private async Task<(HttpStatusCode Status, HttpResponseMessage Response, string Body)> Raw(string? token, string body = """{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{}}""", Action<HttpRequestMessage>? tweak = null)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, f.Url + "/mcp") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        tweak?.Invoke(request);
        var response = await http.SendAsync(request);
        return (response.StatusCode, response, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Each_token_lists_and_calls_only_its_own_tools()
    {
        await using var admin = await f.Connect(HttpFixture.Admin);
        Assert.Equal(ToolCatalog.All.Count + Inventory.Surface.Count, (await admin.ListToolsAsync()).Count); // every typed and surface tool: list_received_events too (the admin may create an endpoint for this receiver)

        await using var reader = await f.Connect(HttpFixture.Reader);
        Assert.Equal(["list_customers", "retrieve_customer", "search_customers", "stripe_api_details", "stripe_api_read", "stripe_api_search"], await Names(reader)); // customers.read: and the generic path's reads

        await using var billing = await f.Connect(HttpFixture.Billing);
        var billingTools = await Names(billing);
        Assert.Contains("create_invoice", billingTools);
        Assert.DoesNotContain("void_invoice", billingTools);
        Assert.DoesNotContain("create_customer", billingTools);

        var created = await admin.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Over HTTP" });
        Assert.False(created.IsError ?? false);
        var listed = await reader.CallToolAsync("list_customers", new Dictionary<string, object?> { ["limit"] = 100 });
        Assert.Contains("Over HTTP", JsonSerializer.Serialize(listed.StructuredContent));
    }

    [Fact]
    public async Task Each_token_reads_only_the_resources_of_its_own_tools()
    {
        await using var admin = await f.Connect(HttpFixture.Admin);
        await using var reader = await f.Connect(HttpFixture.Reader);
        Assert.Contains("stripe://invoices/{id}", (await admin.ListResourceTemplatesAsync()).Select(t => t.UriTemplate));
        var readable = (await reader.ListResourceTemplatesAsync()).Select(t => t.UriTemplate).ToList();
        Assert.Contains("stripe://customers/{id}", readable);
        Assert.Contains("stripe://tax_ids/{id}", readable); // the customers toolset's long tail, through the generic path
        Assert.DoesNotContain("stripe://invoices/{id}", readable);
        Assert.DoesNotContain("stripe://quotes/{id}", readable);
        Assert.DoesNotContain(await reader.ListResourcesAsync(), r => r.Uri == "stripe://events/recent"); // no events.read: no recent events

        var customer = (await admin.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Resource over HTTP" })).Json().GetProperty("id").GetString()!;
        var invoice = (await admin.CallToolAsync("create_invoice", new Dictionary<string, object?> { ["customer"] = customer })).Json().GetProperty("id").GetString()!;
        Assert.Contains(customer, Assert.IsType<TextResourceContents>(Assert.Single((await reader.ReadResourceAsync($"stripe://customers/{customer}")).Contents)).Text);
        Assert.Contains(invoice, Assert.IsType<TextResourceContents>(Assert.Single((await admin.ReadResourceAsync($"stripe://invoices/{invoice}")).Contents)).Text);
        var refused = await Assert.ThrowsAsync<McpProtocolException>(() => reader.ReadResourceAsync($"stripe://invoices/{invoice}").AsTask());
        Assert.Contains("Unknown resource", refused.Message);
        await Assert.ThrowsAsync<McpProtocolException>(() => reader.ReadResourceAsync("stripe://events/recent").AsTask());
    }

    [Fact]
    public async Task A_token_narrowing_removes_generic_operations_from_search_and_refuses_them_with_nothing_sent()
    {
        await using var admin = await f.Connect(HttpFixture.Admin);
        await using var reader = await f.Connect(HttpFixture.Reader);
        static string Ops(CallToolResult r) => JsonSerializer.Serialize(r.StructuredContent ?? JsonSerializer.SerializeToElement(r.Content.OfType<TextContentBlock>().First().Text));
        var wide = await admin.CallToolAsync("stripe_api_search", new Dictionary<string, object?> { ["query"] = "list quotes" });
        Assert.Contains("GetQuotes", Ops(wide));
        var narrow = await reader.CallToolAsync("stripe_api_search", new Dictionary<string, object?> { ["query"] = "list quotes" });
        Assert.DoesNotContain("GetQuotes", Ops(narrow));

        var before = f.Sandbox.Counters.Requests;
        var refused = await reader.CallToolAsync("stripe_api_read", new Dictionary<string, object?> { ["operation"] = "GetQuotes", ["arguments"] = new Dictionary<string, object?>() });
        Assert.True(refused.IsError);
        Assert.Contains("operation_not_allowed", Ops(refused));
        Assert.Equal(before, f.Sandbox.Counters.Requests);
        var allowed = await admin.CallToolAsync("stripe_api_read", new Dictionary<string, object?> { ["operation"] = "GetQuotes", ["arguments"] = new Dictionary<string, object?>() });
        Assert.False(allowed.IsError ?? false, Ops(allowed));
    }

    [Fact]
    public async Task A_read_only_token_calling_a_write_tool_is_refused_and_nothing_is_created()
    {
        await using var reader = await f.Connect(HttpFixture.Reader);
        var before = f.Sandbox.Execute("GET", "/v1/customers", "limit=100")["data"]!.AsArray().Count;
        var e = await Assert.ThrowsAsync<McpProtocolException>(() => reader.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Not allowed" }).AsTask());
        Assert.Contains("create_customer", e.Message);
        Assert.Equal(before, f.Sandbox.Execute("GET", "/v1/customers", "limit=100")["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_alias_is_gated_by_each_token_s_own_tools()
    {
        await using var reader = await f.Connect(HttpFixture.Reader);
        await Assert.ThrowsAsync<McpProtocolException>(() => reader.CallToolAsync("get_stripe_account_info").AsTask());
        await using var admin = await f.Connect(HttpFixture.Admin);
        Assert.False((await admin.CallToolAsync("get_stripe_account_info")).IsError ?? false);
        // And the reader again, after the admin's session installed its own tools.
        await Assert.ThrowsAsync<McpProtocolException>(() => reader.CallToolAsync("get_stripe_account_info").AsTask());
    }

    [Fact]
    public async Task A_token_pinned_to_an_account_works_inside_it()
    {
        await using var pinned = await f.Connect(HttpFixture.Pinned);
        var result = await pinned.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Pinned" });
        Assert.False(result.IsError ?? false, JsonSerializer.Serialize(result.Content));
        Assert.Single(f.Sandbox.Execute("GET", "/v1/customers", account: f.PinnedAccount)["data"]!.AsArray());
        var elsewhere = await pinned.CallToolAsync("list_customers", new Dictionary<string, object?> { ["account"] = "acct_1SomeoneElse" });
        Assert.True(elsewhere.IsError);
    }

    [Theory]
    [InlineData("accept", "canceled")]
    [InlineData("decline", "requires_payment_method")]
    public async Task A_destructive_tool_asks_the_human_over_stateless_HTTP(string answer, string status)
    {
        var pi = f.Sandbox.Execute("POST", "/v1/payment_intents", "amount=1000&currency=usd")["id"]!.GetValue<string>();
        await using var admin = await f.Connect(HttpFixture.Admin, human: answer);
        var result = await admin.CallToolAsync("cancel_payment_intent", new Dictionary<string, object?> { ["payment_intent"] = pi });
        Assert.Equal(answer != "accept", result.IsError ?? false);
        Assert.Equal(status, f.Sandbox.Execute("GET", $"/v1/payment_intents/{pi}")["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Missing_or_wrong_token_is_401_with_WWW_Authenticate(string? token)
    {
        var (status, response, body) = await Raw(token);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("unauthorized", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("Authorization: Bearer <token>.", body);
        await Assert.ThrowsAnyAsync<Exception>(() => f.Connect(token));
    }

    [Fact]
    public async Task Evil_Host_and_evil_Origin_are_403_and_an_allowed_origin_passes()
    {
        var evilHost = await Raw(HttpFixture.Admin, tweak: r => r.Headers.Host = "evil.example");
        Assert.Equal(HttpStatusCode.Forbidden, evilHost.Status);
        Assert.Contains("evil.example", evilHost.Body);
        var evilOrigin = await Raw(HttpFixture.Admin, tweak: r => r.Headers.Add("Origin", "https://evil.example"));
        Assert.Equal(HttpStatusCode.Forbidden, evilOrigin.Status);
        var goodOrigin = await Raw(HttpFixture.Admin, tweak: r => r.Headers.Add("Origin", "https://agent.example.com"));
        Assert.Equal(HttpStatusCode.OK, goodOrigin.Status);
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var big = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_customer","arguments":{"description":" """.TrimEnd() + new string('x', 5000) + "\"}}}";
        var (status, _, body) = await Raw(HttpFixture.Admin, big);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("payload_too_large", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("type").GetString());
    }

    [Fact]
    public async Task Past_its_rate_limit_a_token_gets_429_with_Retry_After()
    {
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            var (status, response, _) = await Raw(HttpFixture.Limited);
            statuses.Add(status);
            last = response;
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 4), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
        Assert.True(int.Parse(last!.Headers.GetValues("Retry-After").Single()) > 0);
        Assert.Equal(HttpStatusCode.OK, (await Raw(HttpFixture.Admin)).Status); // other tokens are not affected
    }

    [Fact]
    public async Task Health_and_readiness_need_no_token_and_never_show_the_key()
    {
        using var http = new HttpClient();
        Assert.Equal("alive", JsonDocument.Parse(await http.GetStringAsync(f.Url + "/healthz")).RootElement.GetProperty("status").GetString());
        var ready = await http.GetStringAsync(f.Url + "/readyz");
        Assert.Equal("ready", JsonDocument.Parse(ready).RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain(HttpFixture.Key, ready);
        var refused = await Raw("wrong");
        Assert.DoesNotContain(HttpFixture.Key, refused.Body);
        Assert.DoesNotContain(HttpFixture.Key, string.Join(" ", refused.Response.Headers.Select(h => string.Join(",", h.Value))));
    }
}
