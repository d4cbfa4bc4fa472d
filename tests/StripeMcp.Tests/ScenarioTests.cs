using System.Text.Json;
using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Real flows, one per test, through the MCP client, the server and the sandbox.</summary>
public sealed class ScenarioTests(SandboxFixture f) : IClassFixture<SandboxFixture>
{
    private async Task<JsonElement> Ok(string tool, string args = "{}")
    {
        var result = await f.Server.CallAsync(tool, args);
        Assert.False(result.IsError ?? false, $"{tool} failed: {result.Text()}");
        return result.Json();
    }

    private async Task<JsonElement> Fails(string tool, string args)
    {
        var result = await f.Server.CallAsync(tool, args);
        Assert.True(result.IsError, $"{tool} should have failed: {result.Text()}");
        return result.Json().GetProperty("error");
    }

    private static string Id(JsonElement o) => o.GetProperty("id").GetString()!;

    private static string S(JsonElement o, string name) => o.GetProperty(name).GetString()!;

    [Fact]
    public async Task Product_then_recurring_price_then_payment_link()
    {
        var product = await Ok("create_product", """{"name":"Scenario plan"}""");
        var price = await Ok("create_price", $$$"""{"product":"{{{Id(product)}}}","unit_amount":1200,"currency":"usd","recurring":{"interval":"month","interval_count":3}}""");
        Assert.Equal("recurring", S(price, "type"));
        Assert.Equal(3, price.GetProperty("recurring").GetProperty("interval_count").GetInt32());
        var oneTime = await Ok("create_price", $$"""{"product":"{{Id(product)}}","unit_amount":5000,"currency":"usd"}""");
        var link = await Ok("create_payment_link", $$"""{"line_items":[{"price":"{{Id(oneTime)}}","quantity":2}]}""");
        Assert.StartsWith("https://buy.stripe.com/", S(link, "url"));
        Assert.True(link.GetProperty("active").GetBoolean());
        var deactivated = await Ok("update_payment_link", $$"""{"payment_link":"{{Id(link)}}","active":false}""");
        Assert.False(deactivated.GetProperty("active").GetBoolean());
        var links = await Ok("list_payment_links", """{"active":false}""");
        Assert.Contains(links.GetProperty("data").EnumerateArray(), l => Id(l) == Id(link));
    }

    [Fact]
    public async Task Customer_invoice_item_invoice_finalize_pay()
    {
        var balanceBefore = (await Ok("retrieve_balance")).GetProperty("available")[0].GetProperty("amount").GetInt64();
        var customer = await Ok("create_customer", """{"name":"Invoice Scenario","email":"billing@example.com"}""");
        var product = await Ok("create_product", """{"name":"Consulting"}""");
        var hour = await Ok("create_price", $$"""{"product":"{{Id(product)}}","unit_amount":15000,"currency":"usd"}""");
        var invoice = await Ok("create_invoice", $$"""{"customer":"{{Id(customer)}}"}""");
        Assert.Equal("draft", S(invoice, "status"));
        await Ok("create_invoice_item", $$"""{"customer":"{{Id(customer)}}","invoice":"{{Id(invoice)}}","pricing":{"price":"{{Id(hour)}}"},"quantity":3}""");
        await Ok("create_invoice_item", $$"""{"customer":"{{Id(customer)}}","invoice":"{{Id(invoice)}}","amount":2500,"currency":"usd","description":"Travel"}""");
        var draft = await Ok("retrieve_invoice", $$"""{"invoice":"{{Id(invoice)}}"}""");
        Assert.Equal(47500, draft.GetProperty("total").GetInt64());
        Assert.Equal(2, draft.GetProperty("lines").GetProperty("data").GetArrayLength());

        var open = await Ok("finalize_invoice", $$"""{"invoice":"{{Id(invoice)}}"}""");
        Assert.Equal("open", S(open, "status"));
        Assert.EndsWith("-0001", S(open, "number"));
        var noCard = await Fails("pay_invoice", $$"""{"invoice":"{{Id(invoice)}}"}""");
        Assert.Contains("no attached payment source", S(noCard, "message"));

        var paid = await Ok("pay_invoice", $$"""{"invoice":"{{Id(invoice)}}","payment_method":"pm_card_visa"}""");
        Assert.Equal("paid", S(paid, "status"));
        Assert.Equal(47500, paid.GetProperty("amount_paid").GetInt64());
        var again = await Fails("pay_invoice", $$"""{"invoice":"{{Id(invoice)}}","payment_method":"pm_card_visa"}""");
        Assert.Contains("already paid", S(again, "message"));
        var balanceAfter = (await Ok("retrieve_balance")).GetProperty("available")[0].GetProperty("amount").GetInt64();
        Assert.Equal(47500 - (long)Math.Round(47500 * 0.029m + 30), balanceAfter - balanceBefore);
    }

    [Fact]
    public async Task Subscription_create_pause_resume_cancel()
    {
        var customer = await Ok("create_customer", """{"name":"Subscriber"}""");
        var card = await Ok("attach_payment_method", $$"""{"payment_method":"pm_card_visa","customer":"{{Id(customer)}}"}""");
        var product = await Ok("create_product", """{"name":"Seats"}""");
        var price = await Ok("create_price", $$$"""{"product":"{{{Id(product)}}}","unit_amount":900,"currency":"usd","recurring":{"interval":"month"}}""");

        var sub = await Ok("create_subscription", $$"""{"customer":"{{Id(customer)}}","items":[{"price":"{{Id(price)}}","quantity":3}],"default_payment_method":"{{Id(card)}}"}""");
        Assert.Equal("active", S(sub, "status"));
        var first = await Ok("retrieve_invoice", $$"""{"invoice":"{{S(sub, "latest_invoice")}}"}""");
        Assert.Equal("paid", S(first, "status"));
        Assert.Equal(2700, first.GetProperty("amount_paid").GetInt64());

        var paused = await Ok("pause_subscription", $$$"""{"subscription":"{{{Id(sub)}}}","pause_collection":{"behavior":"void"}}""");
        Assert.Equal("void", S(paused.GetProperty("pause_collection"), "behavior"));
        var resumed = await Ok("resume_subscription", $$"""{"subscription":"{{Id(sub)}}"}""");
        Assert.False(resumed.TryGetProperty("pause_collection", out _)); // cleared (null, so compacted away)
        Assert.Equal("active", S(resumed, "status"));

        var atPeriodEnd = await Ok("update_subscription", $$"""{"subscription":"{{Id(sub)}}","cancel_at_period_end":true}""");
        Assert.True(atPeriodEnd.GetProperty("cancel_at_period_end").GetBoolean());
        var canceled = await Ok("cancel_subscription", $$$"""{"subscription":"{{{Id(sub)}}}","cancellation_details":{"feedback":"too_expensive"}}""");
        Assert.Equal("canceled", S(canceled, "status"));
        Assert.Equal("too_expensive", S(canceled.GetProperty("cancellation_details"), "feedback"));
        var active = await Ok("list_subscriptions", $$"""{"customer":"{{Id(customer)}}"}""");
        Assert.Equal(0, active.GetProperty("data").GetArrayLength());
        var all = await Ok("list_subscriptions", $$"""{"customer":"{{Id(customer)}}","status":"all"}""");
        Assert.Equal(1, all.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Declined_card_shows_the_agent_the_decline_code()
    {
        var pi = await Ok("create_payment_intent", """{"amount":4200,"currency":"usd"}""");
        Assert.Equal("requires_payment_method", S(pi, "status"));
        var error = await Fails("confirm_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}","payment_method":"pm_card_chargeDeclinedInsufficientFunds"}""");
        Assert.Equal("card_error", S(error, "type"));
        Assert.Equal("card_declined", S(error, "code"));
        Assert.Equal("insufficient_funds", S(error, "decline_code"));
        Assert.Equal(402, error.GetProperty("http_status").GetInt32());
        Assert.StartsWith("req_", S(error, "request_id"));
        var after = await Ok("retrieve_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}"}""");
        Assert.Equal("requires_payment_method", S(after, "status"));
        Assert.Equal("insufficient_funds", S(after.GetProperty("last_payment_error"), "decline_code"));

        var retried = await Ok("confirm_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}","payment_method":"pm_card_visa"}""");
        Assert.Equal("succeeded", S(retried, "status"));
        var needs3ds = await Ok("create_payment_intent", """{"amount":4200,"currency":"usd","payment_method":"pm_card_authenticationRequired","confirm":true}""");
        Assert.Equal("requires_action", S(needs3ds, "status"));
    }

    [Fact]
    public async Task Manual_capture_of_part_of_an_authorization()
    {
        var pi = await Ok("create_payment_intent", """{"amount":10000,"currency":"usd","payment_method":"pm_card_visa","confirm":true,"capture_method":"manual"}""");
        Assert.Equal("requires_capture", S(pi, "status"));
        Assert.Equal(10000, pi.GetProperty("amount_capturable").GetInt64());
        var tooMuch = await Fails("capture_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}","amount_to_capture":20000}""");
        Assert.Equal("amount_to_capture", S(tooMuch, "param"));
        var captured = await Ok("capture_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}","amount_to_capture":7500}""");
        Assert.Equal("succeeded", S(captured, "status"));
        Assert.Equal(7500, captured.GetProperty("amount_received").GetInt64());
        var charge = await Ok("retrieve_charge", $$"""{"charge":"{{S(captured, "latest_charge")}}"}""");
        Assert.Equal(7500, charge.GetProperty("amount_captured").GetInt64());
        var cancel = await Fails("cancel_payment_intent", $$"""{"payment_intent":"{{Id(pi)}}"}""");
        Assert.Contains("status of succeeded", S(cancel, "message"));
    }

    [Fact]
    public async Task Partial_refund_then_an_over_refund_is_refused_with_Stripes_error()
    {
        var pi = await Ok("create_payment_intent", """{"amount":5000,"currency":"usd","payment_method":"pm_card_visa","confirm":true}""");
        var refund = await Ok("create_refund", $$"""{"payment_intent":"{{Id(pi)}}","amount":2000,"reason":"requested_by_customer"}""");
        Assert.Equal("succeeded", S(refund, "status"));
        Assert.Equal(2000, refund.GetProperty("amount").GetInt64());

        var error = await Fails("create_refund", $$"""{"payment_intent":"{{Id(pi)}}","amount":4000}""");
        Assert.Equal("invalid_request_error", S(error, "type"));
        Assert.Equal("amount", S(error, "param"));
        Assert.Contains("greater than unrefunded amount on charge ($30.00)", S(error, "message"));

        var rest = await Ok("create_refund", $$"""{"payment_intent":"{{Id(pi)}}"}""");
        Assert.Equal(3000, rest.GetProperty("amount").GetInt64());
        var refunds = await Ok("list_refunds", $$"""{"payment_intent":"{{Id(pi)}}"}""");
        Assert.Equal(2, refunds.GetProperty("data").GetArrayLength());
        var charge = await Ok("retrieve_charge", $$"""{"charge":"{{S(pi, "latest_charge")}}"}""");
        Assert.True(charge.GetProperty("refunded").GetBoolean());
    }

    [Fact]
    public async Task Pagination_over_250_customers_visits_each_exactly_once()
    {
        var marker = $"page-{Guid.NewGuid():N}"[..16];
        var created = new HashSet<string>();
        for (var i = 0; i < 250; i++)
            created.Add(f.Sandbox.Execute("POST", "/v1/customers", $"name=P{i}&metadata[run]={marker}")["id"]!.GetValue<string>());

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Ok("list_customers", cursor is null ? """{"limit":100}""" : $$"""{"limit":100,"starting_after":"{{cursor}}"}""");
            pages++;
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(Id));
            cursor = page.TryGetProperty("next_starting_after", out var next) ? next.GetString() : null;
            Assert.Equal(cursor is not null, page.GetProperty("has_more").GetBoolean());
        } while (cursor is not null && pages < 20);

        var ours = seen.Where(created.Contains).ToList();
        Assert.Equal(250, ours.Count);
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.True(created.SetEquals(ours));
    }

    [Fact]
    public async Task Search_finds_by_metadata_and_substring()
    {
        var tag = $"s{Guid.NewGuid():N}"[..10];
        await Ok("create_customer", $$$"""{"name":"Searchable {{{tag}}}","email":"{{{tag}}}@example.com","metadata":{"tier":"{{{tag}}}"}}""");
        var byMeta = await Ok("search_customers", $$"""{"query":"metadata['tier']:'{{tag}}'"}""");
        Assert.Equal(1, byMeta.GetProperty("data").GetArrayLength());
        var bySub = await Ok("search_customers", $$"""{"query":"name~'{{tag}}' AND email:'{{tag}}@example.com'"}""");
        Assert.Equal(1, bySub.GetProperty("data").GetArrayLength());
        var bad = await Fails("search_customers", """{"query":"nickname:'x'"}""");
        Assert.Contains("unsupported search field", S(bad, "message"));
    }

    [Fact]
    public async Task Checkout_session_opens_lists_its_items_and_expires()
    {
        var product = await Ok("create_product", """{"name":"Checkout thing"}""");
        var price = await Ok("create_price", $$"""{"product":"{{Id(product)}}","unit_amount":700,"currency":"eur"}""");
        var session = await Ok("create_checkout_session", $$"""{"mode":"payment","line_items":[{"price":"{{Id(price)}}","quantity":3}],"success_url":"https://example.com/ok"}""");
        Assert.Equal("open", S(session, "status"));
        Assert.Equal(2100, session.GetProperty("amount_total").GetInt64());
        var items = await Ok("list_checkout_session_line_items", $$"""{"session":"{{Id(session)}}"}""");
        Assert.Equal(3, items.GetProperty("data")[0].GetProperty("quantity").GetInt32());
        var expired = await Ok("expire_checkout_session", $$"""{"session":"{{Id(session)}}"}""");
        Assert.Equal("expired", S(expired, "status"));
        var again = await Fails("expire_checkout_session", $$"""{"session":"{{Id(session)}}"}""");
        Assert.Contains("status of `open`", S(again, "message"));
        var wrongMode = await Fails("create_checkout_session", $$"""{"mode":"subscription","line_items":[{"price":"{{Id(price)}}","quantity":1}],"success_url":"https://example.com/ok"}""");
        Assert.Contains("recurring price", S(wrongMode, "message"));
    }

    [Fact]
    public async Task Dispute_evidence_then_submit()
    {
        var pi = await Ok("create_payment_intent", """{"amount":3000,"currency":"usd","payment_method":"pm_card_createDispute","confirm":true}""");
        var disputes = await Ok("list_disputes", $$"""{"payment_intent":"{{Id(pi)}}"}""");
        var dispute = disputes.GetProperty("data")[0];
        Assert.Equal("needs_response", S(dispute, "status"));
        var updated = await Ok("update_dispute", $$"""{"dispute":"{{Id(dispute)}}","evidence":{"customer_name":"Jenny","uncategorized_text":"Delivered"},"submit":true}""");
        Assert.Equal("under_review", S(updated, "status"));
        Assert.Equal("Jenny", S(updated.GetProperty("evidence"), "customer_name"));
        var closed = await Fails("close_dispute", $$"""{"dispute":"{{Id(dispute)}}"}""");
        Assert.Equal(400, closed.GetProperty("http_status").GetInt32());
    }
}
