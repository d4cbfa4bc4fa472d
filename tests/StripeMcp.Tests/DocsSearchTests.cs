using System.Text.Json;
using StripeMcp.Docs;
using StripeMcp.Tests.Support;
using Xunit.Abstractions;

namespace StripeMcp.Tests;

/// <summary>
/// The documentation search: quality over questions an agent asks (hits@1 and hits@3 printed, floors asserted),
/// and the tool through the MCP client.
/// </summary>
public sealed class DocsSearchTests(ITestOutputHelper output)
{
    /// <summary>A question, and the answers any of which counts as a hit (kind:ref).</summary>
    public static readonly (string Question, string[] Expected)[] Questions =
    [
        ("how do I refund part of a payment", ["tool:create_refund", "guide:stripe-mcp://guides/refunds-disputes", "operation:PostRefunds"]),
        ("what does card_declined insufficient_funds mean", ["guide:stripe-mcp://guides/errors", "guide:stripe-mcp://guides/test-cards"]),
        ("which parameter makes a price recurring", ["tool:create_price", "operation:PostPrices"]),
        ("how do I let a customer update their card", ["tool:create_billing_portal_session", "guide:stripe-mcp://guides/payments", "operation:PostBillingPortalSessions"]),
        ("amounts in cents smallest currency unit", ["guide:stripe-mcp://guides/amounts"]),
        ("retry a request safely without charging twice", ["guide:stripe-mcp://guides/idempotency"]),
        ("test card that is declined", ["guide:stripe-mcp://guides/test-cards"]),
        ("verify webhook signature", ["guide:stripe-mcp://guides/webhooks"]),
        ("get the next page of a list", ["guide:stripe-mcp://guides/pagination-search"]),
        ("search customers by email", ["tool:search_customers", "operation:GetCustomersSearch", "guide:stripe-mcp://guides/pagination-search"]),
        ("start a subscription with a free trial", ["guide:stripe-mcp://guides/subscriptions", "tool:create_subscription", "operation:PostSubscriptions"]),
        ("upgrade a subscription to another price mid cycle proration", ["guide:stripe-mcp://guides/subscriptions", "tool:update_subscription", "operation:PostSubscriptionsSubscription"]),
        ("cancel a subscription at the end of the period", ["tool:cancel_subscription", "tool:update_subscription", "guide:stripe-mcp://guides/subscriptions"]),
        ("respond to a dispute with evidence", ["tool:update_dispute", "guide:stripe-mcp://guides/refunds-disputes", "operation:PostDisputesDispute"]),
        ("create a checkout session for a one time payment", ["tool:create_checkout_session", "guide:stripe-mcp://guides/payments", "operation:PostCheckoutSessions"]),
        ("capture an authorized payment later", ["tool:capture_payment_intent", "operation:PostPaymentIntentsIntentCapture", "guide:stripe-mcp://guides/payments"]),
        ("save a card for later without charging", ["tool:create_setup_intent", "guide:stripe-mcp://guides/payments", "operation:PostSetupIntents"]),
        ("onboard a connected account", ["tool:create_account_link", "guide:stripe-mcp://guides/connect", "tool:create_connected_account", "operation:PostAccountLinks"]),
        ("send money to a connected account", ["tool:create_transfer", "guide:stripe-mcp://guides/connect", "operation:PostTransfers"]),
        ("pay out the balance to a bank account", ["operation:PostPayouts", "guide:stripe-mcp://guides/connect", "tool:list_payouts"]),
        ("check the account balance", ["tool:retrieve_balance", "operation:GetBalance"]),
        ("create a coupon for 20 percent off", ["tool:create_coupon", "operation:PostCoupons"]),
        ("create a payment link for a product", ["tool:create_payment_link", "operation:PostPaymentLinks"]),
        ("void an invoice", ["tool:void_invoice", "operation:PostInvoicesInvoiceVoid"]),
        ("list events of a type", ["tool:list_events", "operation:GetEvents"]),
        ("what fields does a customer object have", ["object:Customer", "tool:retrieve_customer", "operation:GetCustomersCustomer"]),
        ("rate limit error what to do", ["guide:stripe-mcp://guides/errors"]),
        ("simulate time passing for subscriptions test clock", ["tool:advance_test_clock", "tool:create_test_clock", "guide:stripe-mcp://guides/subscriptions", "operation:PostTestHelpersTestClocksTestClockAdvance"]),
        ("set up a webhook endpoint", ["tool:create_webhook_endpoint", "guide:stripe-mcp://guides/webhooks", "operation:PostWebhookEndpoints"]),
        ("report usage for metered billing", ["tool:create_meter_event", "operation:PostBillingMeterEvents"]),
    ];

    [Fact]
    public void Thirty_questions_find_their_answer_in_the_top_three()
    {
        Assert.Equal(30, Questions.Length);
        var (at1, at3, misses) = (0, 0, new List<string>());
        foreach (var (question, expected) in Questions)
        {
            var top = DocIndex.Instance.Search(question, 3).Select(h => $"{h.Entry.Kind}:{h.Entry.Ref}").ToList();
            if (top.Count > 0 && expected.Contains(top[0])) at1++;
            if (top.Any(expected.Contains)) at3++;
            else misses.Add($"{question} → {string.Join(" | ", top)}");
            output.WriteLine($"{(top.Any(expected.Contains) ? "hit " : "MISS")} {question} → {string.Join(" | ", top)}");
        }
        output.WriteLine($"hits@1 {at1}/30, hits@3 {at3}/30 over {DocIndex.Instance.Count} entries");
        Assert.True(at3 >= 28 && at1 >= 22, $"hits@1 {at1}/30, hits@3 {at3}/30; misses:\n{string.Join("\n", misses)}");
    }

    [Fact]
    public async Task The_tool_is_gated_answers_with_what_to_call_and_refuses_bad_arguments_by_name()
    {
        await using (var customers = await TestServer.StartAsync(["--sandbox", "--toolsets", "customers"]))
            Assert.DoesNotContain(await customers.Client.ListToolsAsync(), t => t.Name == DocsSearchTool.Name);
        await using var s = await TestServer.StartAsync(["--sandbox", "--toolsets", "docs,customers"]);
        var found = await s.CallAsync(DocsSearchTool.Name, """{"question":"how do I refund part of a payment","language":"curl"}""");
        Assert.True(found.IsError != true, found.Text());
        var results = found.Json().GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results.Take(3), r => r.TryGetProperty("uri", out var uri) && uri.GetString() == "stripe-mcp://guides/refunds-disputes");
        var refund = results[0];
        Assert.Equal("PostRefunds", refund.GetProperty("operation").GetString());
        Assert.Equal("create_refund", refund.GetProperty("call").GetString());
        Assert.Equal("refunds.create", refund.GetProperty("permission").GetString());
        Assert.False(refund.GetProperty("enabled").GetBoolean()); // this caller has customers and docs only
        Assert.StartsWith("curl -X POST https://api.stripe.com/v1/refunds", refund.GetProperty("example").GetString());
        // The excerpt is of the entry's body, around the question's words (not its title).
        var excerpt = refund.GetProperty("excerpt").GetString()!;
        Assert.Contains("refund", excerpt, StringComparison.OrdinalIgnoreCase);
        Assert.True(excerpt.Split(' ').Length > 8, excerpt);
        var customer = (await s.CallAsync(DocsSearchTool.Name, """{"question":"search customers by email","limit":1}""")).Json().GetProperty("results")[0];
        Assert.Equal("search_customers", customer.GetProperty("call").GetString());
        Assert.True(customer.GetProperty("enabled").GetBoolean());

        foreach (var (args, problem) in new[]
        {
            ("{}", "question: required"), ("""{"question":""}""", "question: required"), ("""{"question":42}""", "question: required"),
            ($$"""{"question":"{{new string('a', 501)}}"}""", "at most 500"), ("""{"question":"x","language":"cobol"}""", "language: must be one of"),
            ("""{"question":"x","limit":0}""", "limit: must be"), ("""{"question":"x","limit":"5"}""", "limit: must be"), ("""{"question":"x","depth":1}""", "depth: unknown argument"),
        })
        {
            var bad = await s.CallAsync(DocsSearchTool.Name, args);
            Assert.True(bad.IsError, args);
            Assert.Contains(problem, bad.Text());
        }
        // FTS5's own query syntax is only words here: quotes, NEAR, column filters and stars find nothing odd and break nothing.
        foreach (var hostile in new[] { "\"unterminated", "title: refund", "NEAR(refund payment)", "refund*", "AND OR NOT", "'); DROP TABLE docs; --" })
        {
            var r = await s.CallAsync(DocsSearchTool.Name, JsonSerializer.Serialize(new { question = hostile }));
            Assert.True(r.IsError != true, $"{hostile}: {r.Text()}");
        }
    }
}
