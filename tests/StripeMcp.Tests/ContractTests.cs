using System.Text.Json;
using System.Text.RegularExpressions;
using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>
/// For every tool: the exact request that reaches Stripe (method, path, fields, Stripe-Account,
/// Idempotency-Key) and the result the agent sees, through the server over stdio.
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
        { "get_account_info", "{}", "GET /v1/account", "" },
        { "list_balance_transactions", """{"type":"charge","limit":5}""", "GET /v1/balance_transactions", "type=charge&limit=5" },
        { "retrieve_customer", """{"customer":"cus_1"}""", "GET /v1/customers/cus_1", "" },
        { "update_customer", """{"customer":"cus_1","email":"new@example.com","address":{"city":"Paris","country":"FR"},"invoice_settings":{"default_payment_method":"pm_1"}}""", "POST /v1/customers/cus_1", "email=new@example.com&address[city]=Paris&address[country]=FR&invoice_settings[default_payment_method]=pm_1" },
        { "delete_customer", """{"customer":"cus_1"}""", "DELETE /v1/customers/cus_1", "" },
        { "search_customers", """{"query":"email:'jenny@example.com'","limit":5}""", "GET /v1/customers/search", "query=email:'jenny@example.com'&limit=5" },
        { "retrieve_product", """{"product":"prod_1"}""", "GET /v1/products/prod_1", "" },
        { "update_product", """{"product":"prod_1","active":false,"default_price":"price_9"}""", "POST /v1/products/prod_1", "active=false&default_price=price_9" },
        { "search_products", """{"query":"active:'true' AND name~'shirt'"}""", "GET /v1/products/search", "query=active:'true' AND name~'shirt'" },
        { "retrieve_price", """{"price":"price_1"}""", "GET /v1/prices/price_1", "" },
        { "update_price", """{"price":"price_1","active":false,"lookup_key":"old_pro"}""", "POST /v1/prices/price_1", "active=false&lookup_key=old_pro" },
        { "search_prices", """{"query":"product:'prod_1'","limit":3}""", "GET /v1/prices/search", "query=product:'prod_1'&limit=3" },
        { "delete_coupon", """{"coupon":"SUMMER25"}""", "DELETE /v1/coupons/SUMMER25", "" },
        { "create_promotion_code", """{"promotion":{"type":"coupon","coupon":"SUMMER25"},"code":"SUMMER25NOW","max_redemptions":100}""", "POST /v1/promotion_codes", "promotion[type]=coupon&promotion[coupon]=SUMMER25&code=SUMMER25NOW&max_redemptions=100" },
        { "list_promotion_codes", """{"code":"SUMMER25NOW","active":true}""", "GET /v1/promotion_codes", "code=SUMMER25NOW&active=true" },
        { "list_payment_links", """{"active":true,"limit":10}""", "GET /v1/payment_links", "active=true&limit=10" },
        { "update_payment_link", """{"payment_link":"plink_1","active":false,"inactive_message":"Sold out"}""", "POST /v1/payment_links/plink_1", "active=false&inactive_message=Sold out" },
        { "create_checkout_session", """{"mode":"payment","line_items":[{"price":"price_1","quantity":1}],"success_url":"https://example.com/ok","customer":"cus_1"}""", "POST /v1/checkout/sessions", "mode=payment&line_items[0][price]=price_1&line_items[0][quantity]=1&success_url=https://example.com/ok&customer=cus_1" },
        { "retrieve_checkout_session", """{"session":"cs_test_1"}""", "GET /v1/checkout/sessions/cs_test_1", "" },
        { "list_checkout_sessions", """{"customer":"cus_1","status":"open"}""", "GET /v1/checkout/sessions", "customer=cus_1&status=open" },
        { "list_checkout_session_line_items", """{"session":"cs_test_1","limit":5}""", "GET /v1/checkout/sessions/cs_test_1/line_items", "limit=5" },
        { "expire_checkout_session", """{"session":"cs_test_1"}""", "POST /v1/checkout/sessions/cs_test_1/expire", "" },
        { "create_payment_intent", """{"amount":2000,"currency":"usd","customer":"cus_1","payment_method":"pm_card_visa","confirm":true,"capture_method":"manual"}""", "POST /v1/payment_intents", "amount=2000&currency=usd&customer=cus_1&payment_method=pm_card_visa&confirm=true&capture_method=manual" },
        { "retrieve_payment_intent", """{"payment_intent":"pi_1"}""", "GET /v1/payment_intents/pi_1", "" },
        { "update_payment_intent", """{"payment_intent":"pi_1","amount":2500,"description":"Updated"}""", "POST /v1/payment_intents/pi_1", "amount=2500&description=Updated" },
        { "search_payment_intents", """{"query":"status:'succeeded' AND amount>1000"}""", "GET /v1/payment_intents/search", "query=status:'succeeded' AND amount>1000" },
        { "confirm_payment_intent", """{"payment_intent":"pi_1","payment_method":"pm_card_visa"}""", "POST /v1/payment_intents/pi_1/confirm", "payment_method=pm_card_visa" },
        { "capture_payment_intent", """{"payment_intent":"pi_1","amount_to_capture":1500}""", "POST /v1/payment_intents/pi_1/capture", "amount_to_capture=1500" },
        { "cancel_payment_intent", """{"payment_intent":"pi_1","cancellation_reason":"requested_by_customer"}""", "POST /v1/payment_intents/pi_1/cancel", "cancellation_reason=requested_by_customer" },
        { "create_setup_intent", """{"customer":"cus_1","payment_method":"pm_card_visa","confirm":true}""", "POST /v1/setup_intents", "customer=cus_1&payment_method=pm_card_visa&confirm=true" },
        { "retrieve_setup_intent", """{"setup_intent":"seti_1"}""", "GET /v1/setup_intents/seti_1", "" },
        { "list_setup_intents", """{"customer":"cus_1"}""", "GET /v1/setup_intents", "customer=cus_1" },
        { "list_payment_methods", """{"customer":"cus_1","type":"card"}""", "GET /v1/payment_methods", "customer=cus_1&type=card" },
        { "attach_payment_method", """{"payment_method":"pm_card_visa","customer":"cus_1"}""", "POST /v1/payment_methods/pm_card_visa/attach", "customer=cus_1" },
        { "detach_payment_method", """{"payment_method":"pm_1"}""", "POST /v1/payment_methods/pm_1/detach", "" },
        { "retrieve_charge", """{"charge":"ch_1"}""", "GET /v1/charges/ch_1", "" },
        { "list_charges", """{"payment_intent":"pi_1"}""", "GET /v1/charges", "payment_intent=pi_1" },
        { "search_charges", """{"query":"status:'failed'"}""", "GET /v1/charges/search", "query=status:'failed'" },
        { "retrieve_refund", """{"refund":"re_1"}""", "GET /v1/refunds/re_1", "" },
        { "list_refunds", """{"payment_intent":"pi_1","limit":3}""", "GET /v1/refunds", "payment_intent=pi_1&limit=3" },
        { "retrieve_dispute", """{"dispute":"dp_1"}""", "GET /v1/disputes/dp_1", "" },
        { "close_dispute", """{"dispute":"dp_1"}""", "POST /v1/disputes/dp_1/close", "" },
        { "retrieve_invoice", """{"invoice":"in_1"}""", "GET /v1/invoices/in_1", "" },
        { "search_invoices", """{"query":"status:'open'"}""", "GET /v1/invoices/search", "query=status:'open'" },
        { "send_invoice", """{"invoice":"in_1"}""", "POST /v1/invoices/in_1/send", "" },
        { "pay_invoice", """{"invoice":"in_1","payment_method":"pm_1"}""", "POST /v1/invoices/in_1/pay", "payment_method=pm_1" },
        { "void_invoice", """{"invoice":"in_1"}""", "POST /v1/invoices/in_1/void", "" },
        { "list_invoice_items", """{"invoice":"in_1"}""", "GET /v1/invoiceitems", "invoice=in_1" },
        { "create_subscription", """{"customer":"cus_1","items":[{"price":"price_1","quantity":2}],"trial_period_days":14}""", "POST /v1/subscriptions", "customer=cus_1&items[0][price]=price_1&items[0][quantity]=2&trial_period_days=14" },
        { "retrieve_subscription", """{"subscription":"sub_1"}""", "GET /v1/subscriptions/sub_1", "" },
        { "search_subscriptions", """{"query":"status:'active'"}""", "GET /v1/subscriptions/search", "query=status:'active'" },
        { "pause_subscription", """{"subscription":"sub_1","pause_collection":{"behavior":"void"}}""", "POST /v1/subscriptions/sub_1", "pause_collection[behavior]=void" },
        { "resume_subscription", """{"subscription":"sub_1"}""", "POST /v1/subscriptions/sub_1", "pause_collection=" },
        { "create_billing_portal_session", """{"customer":"cus_1","return_url":"https://example.com/account"}""", "POST /v1/billing_portal/sessions", "customer=cus_1&return_url=https://example.com/account" },
        { "create_connected_account", """{"type":"express","country":"US","email":"seller@example.com","capabilities":{"transfers":{"requested":true}}}""", "POST /v1/accounts", "type=express&country=US&email=seller@example.com&capabilities[transfers][requested]=true" },
        { "retrieve_connected_account", """{"account":"acct_1ContractTest"}""", "GET /v1/accounts/acct_1ContractTest", "" },
        { "list_connected_accounts", """{"limit":5}""", "GET /v1/accounts", "limit=5" },
        { "create_account_link", """{"account":"acct_1ContractTest","type":"account_onboarding","refresh_url":"https://example.com/r","return_url":"https://example.com/done"}""", "POST /v1/account_links", "account=acct_1ContractTest&type=account_onboarding&refresh_url=https://example.com/r&return_url=https://example.com/done" },
        { "create_transfer", """{"amount":1000,"currency":"usd","destination":"acct_1ContractTest","transfer_group":"ORDER_42"}""", "POST /v1/transfers", "amount=1000&currency=usd&destination=acct_1ContractTest&transfer_group=ORDER_42" },
        { "list_transfers", """{"destination":"acct_1ContractTest"}""", "GET /v1/transfers", "destination=acct_1ContractTest" },
        { "list_payouts", """{"status":"paid"}""", "GET /v1/payouts", "status=paid" },
        { "list_events", """{"type":"invoice.*","limit":20}""", "GET /v1/events", "type=invoice.*&limit=20" },
        { "retrieve_event", """{"event":"evt_1"}""", "GET /v1/events/evt_1", "" },
        { "create_webhook_endpoint", """{"url":"https://example.com/hooks","enabled_events":["invoice.paid","charge.refunded"]}""", "POST /v1/webhook_endpoints", "url=https://example.com/hooks&enabled_events[0]=invoice.paid&enabled_events[1]=charge.refunded" },
        { "list_webhook_endpoints", """{"limit":5}""", "GET /v1/webhook_endpoints", "limit=5" },
        { "retrieve_webhook_endpoint", """{"webhook_endpoint":"we_1"}""", "GET /v1/webhook_endpoints/we_1", "" },
        { "update_webhook_endpoint", """{"webhook_endpoint":"we_1","disabled":true}""", "POST /v1/webhook_endpoints/we_1", "disabled=true" },
        { "delete_webhook_endpoint", """{"webhook_endpoint":"we_1"}""", "DELETE /v1/webhook_endpoints/we_1", "" },
        { "create_test_clock", """{"frozen_time":1798761600,"name":"renewals"}""", "POST /v1/test_helpers/test_clocks", "frozen_time=1798761600&name=renewals" },
        { "advance_test_clock", """{"test_clock":"clock_1","frozen_time":1799000000}""", "POST /v1/test_helpers/test_clocks/clock_1/advance", "frozen_time=1799000000" },
        { "retrieve_test_clock", """{"test_clock":"clock_1"}""", "GET /v1/test_helpers/test_clocks/clock_1", "" },
        { "list_test_clocks", """{}""", "GET /v1/test_helpers/test_clocks", "" },
        { "delete_test_clock", """{"test_clock":"clock_1"}""", "DELETE /v1/test_helpers/test_clocks/clock_1", "" },
        { "create_meter_event", """{"event_name":"api_calls","payload":{"stripe_customer_id":"cus_1","value":"3"},"identifier":"req-123"}""", "POST /v1/billing/meter_events", "event_name=api_calls&payload[stripe_customer_id]=cus_1&payload[value]=3&identifier=req-123" },
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
        var isList = tool.StartsWith("list_", StringComparison.Ordinal) || tool.StartsWith("search_", StringComparison.Ordinal);
        // The answer is of the type the row expects (anything else is refused as not Stripe's, see HostileStripeTests).
        var type = ToolCatalog.Find(tool)!.Returns;
        string Typed(string json) => json.Replace(isList ? "{\"object\":\"list\"" : "\"object\":\"thing\",\"livemode\"", isList ? $"{{\"object\":\"{type}\"" : $"\"object\":\"{type}\",\"livemode\"");
        f.Stripe.Enqueue(new Scripted(200, Typed(isList ? StripeList : StripeObject)));

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

        var expected = Typed(isList ? CompactedList : CompactedObject);
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
