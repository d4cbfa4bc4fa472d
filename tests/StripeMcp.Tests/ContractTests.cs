using System.Text.Json;
using System.Text.RegularExpressions;
using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

public sealed class ContractFixture : IAsyncLifetime
{
    public const string Account = "acct_1ContractTest";
    public FakeStripe Stripe { get; private set; } = null!;
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Stripe = await FakeStripe.StartAsync();
        Server = await ServerProcess.StartAsync(Stripe, "--tools", "all", "--stripe-account", Account);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Stripe.DisposeAsync();
    }
}

/// <summary>
/// For every tool: the exact request that reaches Stripe (method, path, fields, Stripe-Account,
/// Idempotency-Key) and the result the agent sees, through the real executable over stdio.
/// </summary>
public sealed partial class ContractTests(ContractFixture f) : IClassFixture<ContractFixture>
{
    // tool, arguments, "METHOD /path", the decoded form body (POST) or query (GET, DELETE)
    public static TheoryData<string, string, string, string> Cases => new()
    {
        { "retrieve_balance", "{}", "GET /v1/balance", "" },
        { "create_customer", """{"name":"Jenny Rosen","email":"jenny@example.com","metadata":{"order_id":"6735"}}""", "POST /v1/customers", "name=Jenny Rosen&email=jenny@example.com&metadata[order_id]=6735" },
        { "list_customers", """{"email":"jenny@example.com","limit":3}""", "GET /v1/customers", "email=jenny@example.com&limit=3" },
        { "create_product", """{"name":"Pro plan","description":"Everything included"}""", "POST /v1/products", "name=Pro plan&description=Everything included" },
        { "list_products", """{"active":true,"limit":5,"starting_after":"prod_9"}""", "GET /v1/products", "active=true&limit=5&starting_after=prod_9" },
        { "create_price", """{"product":"prod_1","unit_amount":1500,"currency":"usd","recurring":{"interval":"month","interval_count":3},"nickname":"Quarterly"}""", "POST /v1/prices", "product=prod_1&unit_amount=1500&currency=usd&recurring[interval]=month&recurring[interval_count]=3&nickname=Quarterly" },
        { "list_prices", """{"product":"prod_1","type":"recurring","limit":10}""", "GET /v1/prices", "product=prod_1&type=recurring&limit=10" },
        { "create_coupon", """{"percent_off":25.5,"duration":"repeating","duration_in_months":3,"name":"Launch"}""", "POST /v1/coupons", "name=Launch&percent_off=25.5&duration=repeating&duration_in_months=3" },
        { "list_coupons", """{"limit":2,"ending_before":"SUMMER25"}""", "GET /v1/coupons", "limit=2&ending_before=SUMMER25" },
        { "create_payment_link", """{"line_items":[{"price":"price_1","quantity":2},{"price":"price_2","quantity":1}],"after_completion":{"type":"redirect","redirect":{"url":"https://example.com/thanks"}}}""", "POST /v1/payment_links", "line_items[0][price]=price_1&line_items[0][quantity]=2&line_items[1][price]=price_2&line_items[1][quantity]=1&after_completion[type]=redirect&after_completion[redirect][url]=https://example.com/thanks" },
        { "list_payment_intents", """{"customer":"cus_1","limit":20}""", "GET /v1/payment_intents", "customer=cus_1&limit=20" },
        { "create_refund", """{"payment_intent":"pi_1","amount":500,"reason":"requested_by_customer"}""", "POST /v1/refunds", "payment_intent=pi_1&amount=500&reason=requested_by_customer" },
        { "list_disputes", """{"payment_intent":"pi_1"}""", "GET /v1/disputes", "payment_intent=pi_1" },
        { "update_dispute", """{"dispute":"dp_1","evidence":{"customer_name":"Jenny Rosen","uncategorized_text":"Delivered on time"},"submit":false}""", "POST /v1/disputes/dp_1", "evidence[customer_name]=Jenny Rosen&evidence[uncategorized_text]=Delivered on time&submit=false" },
        { "create_invoice", """{"customer":"cus_1","collection_method":"send_invoice","days_until_due":30}""", "POST /v1/invoices", "customer=cus_1&collection_method=send_invoice&days_until_due=30" },
        { "list_invoices", """{"customer":"cus_1","status":"open"}""", "GET /v1/invoices", "customer=cus_1&status=open" },
        { "finalize_invoice", """{"invoice":"in_1","auto_advance":true}""", "POST /v1/invoices/in_1/finalize", "auto_advance=true" },
        { "create_invoice_item", """{"customer":"cus_1","invoice":"in_1","pricing":{"price":"price_1"},"quantity":2}""", "POST /v1/invoiceitems", "customer=cus_1&invoice=in_1&pricing[price]=price_1&quantity=2" },
        { "list_subscriptions", """{"customer":"cus_1","status":"all"}""", "GET /v1/subscriptions", "customer=cus_1&status=all" },
        { "update_subscription", """{"subscription":"sub_1","items":[{"id":"si_1","price":"price_2"}],"proration_behavior":"none","cancel_at_period_end":false}""", "POST /v1/subscriptions/sub_1", "items[0][id]=si_1&items[0][price]=price_2&proration_behavior=none&cancel_at_period_end=false" },
        { "cancel_subscription", """{"subscription":"sub_1","invoice_now":true,"cancellation_details":{"feedback":"too_expensive"}}""", "DELETE /v1/subscriptions/sub_1", "invoice_now=true&cancellation_details[feedback]=too_expensive" },
    };

    private const string StripeObject = """{"id":"obj_1","object":"thing","livemode":false,"amount":1500,"description":null,"metadata":{},"tags":[],"nested":{"a":null,"b":{}},"shipping":{"name":"Jenny","phone":null}}""";
    private const string CompactedObject = """{"id":"obj_1","object":"thing","livemode":false,"amount":1500,"shipping":{"name":"Jenny"}}""";
    private const string StripeList = """{"object":"list","url":"/v1/things","has_more":true,"data":[{"id":"obj_1","object":"thing","description":null},{"id":"obj_2","object":"thing","metadata":{}}]}""";
    private const string CompactedList = """{"object":"list","url":"/v1/things","has_more":true,"data":[{"id":"obj_1","object":"thing"},{"id":"obj_2","object":"thing"}],"next_starting_after":"obj_2"}""";

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_tool_sends_exactly_this_request_and_returns_the_whole_compacted_object(string tool, string args, string route, string fields)
    {
        f.Stripe.Reset();
        var isList = tool.StartsWith("list_", StringComparison.Ordinal);
        f.Stripe.Enqueue(new Scripted(200, isList ? StripeList : StripeObject));

        var result = await f.Server.CallAsync(tool, args);

        Assert.False(result.IsError ?? false, result.Text());
        var request = Assert.Single(f.Stripe.Requests);
        Assert.Equal(route, $"{request.Method} {request.Path}");
        Assert.Equal(fields, request.Params);
        Assert.Equal(ContractFixture.Account, request.Header("Stripe-Account"));
        Assert.StartsWith("Bearer sk_test_", request.Header("Authorization"));
        if (request.Method == "POST")
            Assert.Matches(IdempotencyKey(), request.Header("Idempotency-Key") ?? "");
        else
            Assert.Null(request.Header("Idempotency-Key"));

        var expected = isList ? CompactedList : CompactedObject;
        Assert.Equal(expected, result.Text());
        Assert.Equal(expected, JsonSerializer.Serialize(result.StructuredContent));
    }

    [Fact]
    public void Every_tool_in_the_table_has_a_contract_case()
    {
        var covered = Cases.Select(c => (string)c[0]).Order();
        Assert.Equal(ToolCatalog.All.Select(t => t.Name).Order(), covered);
    }

    [Fact]
    public async Task Each_call_gets_its_own_idempotency_key()
    {
        f.Stripe.Reset();
        await f.Server.CallAsync("create_customer", """{"name":"A"}""");
        await f.Server.CallAsync("create_customer", """{"name":"A"}""");
        var keys = f.Stripe.Requests.Select(r => r.Header("Idempotency-Key")).ToList();
        Assert.Equal(2, keys.Distinct().Count());
    }

    [Fact]
    public async Task Special_characters_are_form_encoded_and_reach_Stripe_intact()
    {
        f.Stripe.Reset();
        await f.Server.CallAsync("create_customer", """{"name":"Zoë & Co = 100% + more","metadata":{"note":"a/b?c#d"}}""");
        var request = Assert.Single(f.Stripe.Requests);
        Assert.Equal("name=Zo%C3%AB%20%26%20Co%20%3D%20100%25%20%2B%20more&metadata[note]=a%2Fb%3Fc%23d", request.Body);
    }

    [Fact]
    public async Task A_search_style_last_page_has_no_cursor_and_an_empty_page_keeps_its_data_array()
    {
        f.Stripe.Reset();
        f.Stripe.Enqueue(new Scripted(200, """{"object":"list","url":"/v1/customers","has_more":false,"data":[]}"""));
        var result = await f.Server.CallAsync("list_customers");
        Assert.Equal("""{"object":"list","url":"/v1/customers","has_more":false,"data":[]}""", result.Text());
    }

    [GeneratedRegex("^stripe-mcp-[0-9a-f]{32}$")]
    private static partial Regex IdempotencyKey();
}
