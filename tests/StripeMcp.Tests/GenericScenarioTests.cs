using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// One flow per long-tail family, through the MCP client against the sandbox, using only the generic tools
/// (stripe_api_read and stripe_api_write): what an agent does with the operations that have no typed tool.
/// </summary>
public sealed class GenericScenarioTests
{
    private static Task<TestServer> Start(Sandbox.Sandbox sandbox, string? config = null, McpClientOptions? client = null) =>
        TestServer.StartAsync(["--api-key", "sk_test_longtail", "--stripe-api-base", sandbox.BaseUrl,
            .. config is null ? new[] { "--toolsets", "billing,catalog,customers,payments" } : ["--config", config]], client: client);

    private static async Task<JsonElement> Write(TestServer s, string op, string arguments)
    {
        var r = await s.CallAsync("stripe_api_write", $$"""{"operation":"{{op}}","arguments":{{arguments}}}""");
        Assert.True(r.IsError != true, $"{op}: {r.Text()}");
        return r.Json();
    }

    private static async Task<JsonElement> Read(TestServer s, string op, string arguments)
    {
        var r = await s.CallAsync("stripe_api_read", $$"""{"operation":"{{op}}","arguments":{{arguments}}}""");
        Assert.True(r.IsError != true, $"{op}: {r.Text()}");
        return r.Json();
    }

    private static string Id(JsonElement o) => o.GetProperty("id").GetString()!;
    private static long Long(JsonElement o, string name) => o.GetProperty(name).GetInt64();
    private static string Str(JsonElement o, string name) => o.GetProperty(name).GetString()!;

    private static async Task<(string Customer, string OneTime, string Monthly)> Catalog(TestServer s, long oneTime = 5000, long monthly = 2000)
    {
        var product = Id(await Write(s, "PostProducts", """{"name":"Consulting"}"""));
        var price = Id(await Write(s, "PostPrices", $$"""{"product":"{{product}}","currency":"usd","unit_amount":{{oneTime}}}"""));
        var recurring = Id(await Write(s, "PostPrices", $$$"""{"product":"{{{product}}}","currency":"usd","unit_amount":{{{monthly}}},"recurring":{"interval":"month"}}"""));
        var customer = Id(await Write(s, "PostCustomers", """{"name":"Ada Lovelace","email":"ada@example.com"}"""));
        return (customer, price, recurring);
    }

    [Fact]
    public async Task A_quote_is_finalized_accepted_and_becomes_an_invoice_that_bills_its_lines()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, price, _) = await Catalog(s);

        var quote = await Write(s, "PostQuotes", $$"""
            {"customer":"{{customer}}","line_items":[{"price":"{{price}}","quantity":2}],"collection_method":"send_invoice",
             "invoice_settings":{"days_until_due":30},"description":"Two days of consulting"}
            """);
        Assert.Equal("draft", Str(quote, "status"));
        Assert.Equal(10_000, Long(quote, "amount_total"));
        var qt = Id(quote);
        var lines = await Read(s, "GetQuotesQuoteLineItems", $$"""{"quote":"{{qt}}"}""");
        Assert.Equal(2, lines.GetProperty("data")[0].GetProperty("quantity").GetInt64());

        // Accepting a draft is Stripe's refusal, relayed as Stripe said it.
        var early = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostQuotesQuoteAccept","arguments":{"quote":"{{{qt}}}"}}""");
        Assert.True(early.IsError);
        Assert.Equal("invalid_request_error", early.Error().GetProperty("type").GetString());
        Assert.Contains("Only open (finalized) quotes can be accepted", early.Text());

        Assert.Equal("open", Str(await Write(s, "PostQuotesQuoteFinalize", $$"""{"quote":"{{qt}}"}"""), "status"));
        var accepted = await Write(s, "PostQuotesQuoteAccept", $$"""{"quote":"{{qt}}"}""");
        Assert.Equal("accepted", Str(accepted, "status"));
        var invoiceId = Str(accepted, "invoice");

        var invoice = await Read(s, "GetInvoicesInvoice", $$"""{"invoice":"{{invoiceId}}"}""");
        Assert.Equal("draft", Str(invoice, "status"));
        Assert.Equal(10_000, Long(invoice, "total"));
        Assert.Equal(qt, invoice.GetProperty("parent").GetProperty("quote_details").GetProperty("quote").GetString());
        Assert.Equal("send_invoice", Str(invoice, "collection_method"));
        var finalized = await Write(s, "PostInvoicesInvoiceFinalize", $$"""{"invoice":"{{invoiceId}}"}""");
        Assert.Equal("open", Str(finalized, "status"));
        Assert.Equal(10_000, Long(finalized, "amount_due"));

        // A second acceptance is refused: the quote bills once.
        var again = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostQuotesQuoteAccept","arguments":{"quote":"{{{qt}}}"}}""");
        Assert.True(again.IsError);
        Assert.Single(sandbox.Execute("GET", "/v1/invoices", $"customer={customer}")["data"]!.AsArray());
    }

    [Fact]
    public async Task A_quote_with_a_recurring_price_becomes_a_subscription_whose_first_invoice_carries_the_one_time_line()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, setupFee, monthly) = await Catalog(s);
        await Write(s, "PostPaymentMethodsPaymentMethodAttach", $$"""{"payment_method":"pm_card_visa","customer":"{{customer}}"}""");
        var qt = Id(await Write(s, "PostQuotes", $$"""{"customer":"{{customer}}","line_items":[{"price":"{{monthly}}","quantity":3},{"price":"{{setupFee}}"}]}"""));
        var quote = await Read(s, "GetQuotesQuote", $$"""{"quote":"{{qt}}"}""");
        Assert.Equal(11_000, Long(quote, "amount_total")); // upfront: 3 × 2000 + 5000
        Assert.Equal(6_000, quote.GetProperty("computed").GetProperty("recurring").GetProperty("amount_total").GetInt64());
        await Write(s, "PostQuotesQuoteFinalize", $$"""{"quote":"{{qt}}"}""");
        var accepted = await Write(s, "PostQuotesQuoteAccept", $$"""{"quote":"{{qt}}"}""");
        var sub = await Read(s, "GetSubscriptionsSubscription", $$"""{"subscription":"{{Str(accepted, "subscription")}}"}""");
        Assert.Equal("active", Str(sub, "status"));
        var invoice = await Read(s, "GetInvoicesInvoice", $$"""{"invoice":"{{Str(sub, "latest_invoice")}}"}""");
        Assert.Equal(11_000, Long(invoice, "amount_paid"));
        Assert.Equal("paid", Str(invoice, "status"));
    }

    [Fact]
    public async Task A_credit_note_on_a_paid_invoice_refunds_or_credits_the_balance_and_voiding_the_credit_takes_it_back()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        // Voiding is destructive: asked by default, silenced here by its operation id.
        var config = TestFiles.Config("""{ "toolsets": ["billing", "catalog", "customers", "payments"], "confirm": { "PostCreditNotesCreditNoteVoid": "off" } }""");
        await using var s = await Start(sandbox, config, TestServer.Human(null));
        var (customer, _, _) = await Catalog(s);
        var inv = Id(await Write(s, "PostInvoices", $$"""{"customer":"{{customer}}"}"""));
        await Write(s, "PostInvoiceitems", $$"""{"customer":"{{customer}}","invoice":"{{inv}}","amount":3000,"currency":"usd","description":"Setup"}""");
        await Write(s, "PostInvoicesInvoiceFinalize", $$"""{"invoice":"{{inv}}"}""");
        Assert.Equal("paid", Str(await Write(s, "PostInvoicesInvoicePay", $$"""{"invoice":"{{inv}}","payment_method":"pm_card_visa"}"""), "status"));

        var preview = await Read(s, "GetCreditNotesPreview", $$"""{"invoice":"{{inv}}","amount":1000}""");
        Assert.Equal(1000, Long(preview, "total"));
        Assert.Empty(sandbox.Execute("GET", "/v1/credit_notes")["data"]!.AsArray()); // a preview issues nothing

        var refundNote = await Write(s, "PostCreditNotes", $$"""{"invoice":"{{inv}}","amount":1000,"refund_amount":1000,"reason":"product_unsatisfactory"}""");
        Assert.Equal("post_payment", Str(refundNote, "type"));
        var refundId = refundNote.GetProperty("refunds")[0].GetProperty("refund").GetString()!;
        Assert.Equal(1000, Long(await Read(s, "GetRefundsRefund", $$"""{"refund":"{{refundId}}"}"""), "amount"));

        var creditNote = await Write(s, "PostCreditNotes", $$"""{"invoice":"{{inv}}","amount":500,"credit_amount":500}""");
        Assert.Equal(-500, Long(await Read(s, "GetCustomersCustomer", $$"""{"customer":"{{customer}}"}"""), "balance"));
        var invoice = await Read(s, "GetInvoicesInvoice", $$"""{"invoice":"{{inv}}"}""");
        Assert.Equal(1500, Long(invoice, "post_payment_credit_notes_amount"));
        var txns = await Read(s, "GetCustomersCustomerBalanceTransactions", $$"""{"customer":"{{customer}}"}""");
        Assert.Equal("credit_note", txns.GetProperty("data")[0].GetProperty("type").GetString());

        // More than is left to credit: Stripe's refusal, with its words; nothing issued.
        var tooMuch = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostCreditNotes","arguments":{"invoice":"{{{inv}}}","amount":2000}}""");
        Assert.True(tooMuch.IsError);
        Assert.Contains("greater than what can still be credited", tooMuch.Text());

        Assert.Equal("void", Str(await Write(s, "PostCreditNotesCreditNoteVoid", $$"""{"credit_note":"{{Id(creditNote)}}"}"""), "status"));
        Assert.Equal(0, Long(await Read(s, "GetCustomersCustomer", $$"""{"customer":"{{customer}}"}"""), "balance"));
        // A credit note that refunded cannot be voided: the refund stands.
        var voidRefund = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostCreditNotesCreditNoteVoid","arguments":{"credit_note":"{{{Id(refundNote)}}}"}}""");
        Assert.True(voidRefund.IsError);
        Assert.Equal(2, sandbox.Execute("GET", "/v1/credit_notes", $"invoice={inv}")["data"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_credit_note_on_an_open_invoice_reduces_what_it_owes()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, _, _) = await Catalog(s);
        var inv = Id(await Write(s, "PostInvoices", $$"""{"customer":"{{customer}}","collection_method":"send_invoice","days_until_due":14}"""));
        await Write(s, "PostInvoiceitems", $$"""{"customer":"{{customer}}","invoice":"{{inv}}","amount":4000,"currency":"usd"}""");
        await Write(s, "PostInvoicesInvoiceFinalize", $$"""{"invoice":"{{inv}}"}""");
        var note = await Write(s, "PostCreditNotes", $$"""{"invoice":"{{inv}}","lines":[{"type":"custom_line_item","description":"Discount agreed","unit_amount":1500,"quantity":1}]}""");
        Assert.Equal("pre_payment", Str(note, "type"));
        var invoice = await Read(s, "GetInvoicesInvoice", $$"""{"invoice":"{{inv}}"}""");
        Assert.Equal(2500, Long(invoice, "amount_due"));
        Assert.Equal("open", Str(invoice, "status"));
        // Splitting a pre-payment note into refund or credit makes no sense: refused, with the reason.
        var split = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostCreditNotes","arguments":{"invoice":"{{{inv}}}","amount":100,"refund_amount":100}}""");
        Assert.True(split.IsError);
        Assert.Contains("apply to paid invoices", split.Text());
    }

    [Fact]
    public async Task A_subscription_schedule_with_two_phases_starts_its_subscription_on_the_first_and_releases_it()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, _, monthly) = await Catalog(s);
        await Write(s, "PostPaymentMethodsPaymentMethodAttach", $$"""{"payment_method":"pm_card_visa","customer":"{{customer}}"}""");
        var schedule = await Write(s, "PostSubscriptionSchedules", $$$"""
            {"customer":"{{{customer}}}","start_date":"now","end_behavior":"release","phases":[
              {"items":[{"price":"{{{monthly}}}","quantity":1}],"duration":{"interval":"month","interval_count":3}},
              {"items":[{"price":"{{{monthly}}}","quantity":5}]}]}
            """);
        Assert.Equal("active", Str(schedule, "status"));
        var phases = schedule.GetProperty("phases");
        Assert.Equal(2, phases.GetArrayLength());
        var start = Long(phases[0], "start_date");
        var firstEnd = Long(phases[0], "end_date");
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(start).AddMonths(3).ToUnixTimeSeconds(), firstEnd);
        Assert.Equal(firstEnd, Long(phases[1], "start_date"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(firstEnd).AddMonths(1).ToUnixTimeSeconds(), Long(phases[1], "end_date"));
        Assert.Equal(5, phases[1].GetProperty("items")[0].GetProperty("quantity").GetInt64());

        var subId = Str(schedule, "subscription");
        var sub = await Read(s, "GetSubscriptionsSubscription", $$"""{"subscription":"{{subId}}"}""");
        Assert.Equal(Id(schedule), Str(sub, "schedule"));
        Assert.Equal("active", Str(sub, "status"));
        Assert.Equal(1, sub.GetProperty("items").GetProperty("data")[0].GetProperty("quantity").GetInt64());
        var items = await Read(s, "GetSubscriptionItems", $$"""{"subscription":"{{subId}}"}""");
        Assert.Equal(monthly, items.GetProperty("data")[0].GetProperty("price").GetProperty("id").GetString());

        // A phase but the last needs an end: the sandbox refuses, as Stripe does, naming the parameter.
        var open = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostSubscriptionSchedules","arguments":{"customer":"{{{customer}}}","start_date":"now","phases":[{"items":[{"price":"{{{monthly}}}"}]},{"items":[{"price":"{{{monthly}}}"}]}]}}""");
        Assert.True(open.IsError);
        Assert.Contains("phases[0][end_date]", open.Text());

        var released = await Write(s, "PostSubscriptionSchedulesSubscriptionScheduleRelease", $$"""{"subscription_schedule":"{{Id(schedule)}}"}""");
        Assert.Equal("released", Str(released, "status"));
        Assert.Equal(subId, Str(released, "released_subscription"));
        var after = await Read(s, "GetSubscriptionsSubscription", $$"""{"subscription":"{{subId}}"}""");
        Assert.False(after.TryGetProperty("schedule", out var left) && left.ValueKind != JsonValueKind.Null, "the released subscription still names its schedule");
        Assert.Equal("active", Str(after, "status"));
    }

    [Fact]
    public async Task A_tax_rate_on_an_invoice_item_taxes_the_line_and_the_invoice_total_exclusive_and_inclusive()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, _, _) = await Catalog(s);
        var vat = Id(await Write(s, "PostTaxRates", """{"display_name":"VAT","percentage":20,"inclusive":false,"country":"DE","tax_type":"vat"}"""));
        var gst = Id(await Write(s, "PostTaxRates", """{"display_name":"GST","percentage":10,"inclusive":true}"""));
        Assert.StartsWith("txr_", vat);

        var inv = Id(await Write(s, "PostInvoices", $$"""{"customer":"{{customer}}"}"""));
        await Write(s, "PostInvoiceitems", $$"""{"customer":"{{customer}}","invoice":"{{inv}}","amount":1000,"currency":"usd","tax_rates":["{{vat}}"]}""");
        await Write(s, "PostInvoiceitems", $$"""{"customer":"{{customer}}","invoice":"{{inv}}","amount":1100,"currency":"usd","tax_rates":["{{gst}}"]}""");
        var lines = (await Read(s, "GetInvoicesInvoiceLines", $$"""{"invoice":"{{inv}}"}""")).GetProperty("data");
        var taxes = lines.EnumerateArray().Select(l => l.GetProperty("taxes")[0]).ToList();
        Assert.Equal([200L, 100L], taxes.Select(t => t.GetProperty("amount").GetInt64()));
        Assert.Equal(["exclusive", "inclusive"], taxes.Select(t => t.GetProperty("tax_behavior").GetString()));
        Assert.Equal(vat, taxes[0].GetProperty("tax_rate_details").GetProperty("tax_rate").GetString());

        var invoice = await Read(s, "GetInvoicesInvoice", $$"""{"invoice":"{{inv}}"}""");
        Assert.Equal(2100, Long(invoice, "subtotal"));
        Assert.Equal(2300, Long(invoice, "total")); // the exclusive 200 is added; the inclusive 100 is already in
        Assert.Equal(2000, Long(invoice, "total_excluding_tax"));
        Assert.Equal(2300, Long(invoice, "amount_due"));

        // An archived rate cannot be applied.
        await Write(s, "PostTaxRatesTaxRate", $$"""{"tax_rate":"{{vat}}","active":false}""");
        var archived = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostInvoiceitems","arguments":{"customer":"{{{customer}}}","invoice":"{{{inv}}}","amount":500,"currency":"usd","tax_rates":["{{{vat}}}"]}}""");
        Assert.True(archived.IsError);
        Assert.Contains("inactive", archived.Text());
    }

    [Fact]
    public async Task Customer_credit_is_applied_to_the_next_invoice_and_customer_payment_methods_are_listed()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox);
        var (customer, _, _) = await Catalog(s);
        var credit = await Write(s, "PostCustomersCustomerBalanceTransactions", $$"""{"customer":"{{customer}}","amount":-700,"currency":"usd","description":"Apology"}""");
        Assert.Equal(-700, Long(credit, "ending_balance"));
        var pm = Id(await Write(s, "PostPaymentMethods", """{"type":"card","card":{"token":"tok_visa"}}"""));
        await Write(s, "PostPaymentMethodsPaymentMethodAttach", $$"""{"payment_method":"{{pm}}","customer":"{{customer}}"}""");
        var methods = await Read(s, "GetCustomersCustomerPaymentMethods", $$"""{"customer":"{{customer}}"}""");
        Assert.Equal(pm, methods.GetProperty("data")[0].GetProperty("id").GetString());

        var inv = Id(await Write(s, "PostInvoices", $$"""{"customer":"{{customer}}"}"""));
        await Write(s, "PostInvoiceitems", $$"""{"customer":"{{customer}}","invoice":"{{inv}}","amount":1000,"currency":"usd"}""");
        var finalized = await Write(s, "PostInvoicesInvoiceFinalize", $$"""{"invoice":"{{inv}}"}""");
        Assert.Equal(300, Long(finalized, "amount_due"));
        Assert.Equal(-700, Long(finalized, "starting_balance"));
        Assert.Equal(0, Long(finalized, "ending_balance"));
        Assert.Equal(0, Long(await Read(s, "GetCustomersCustomer", $$"""{"customer":"{{customer}}"}"""), "balance"));
    }

    [Fact]
    public async Task Setup_intents_confirm_and_cancel_transfers_reverse_and_pending_payouts_cancel()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = await Start(sandbox, TestFiles.Config("""{ "toolsets": ["payments", "connect", "customers"], "confirm": { "PostSetupIntentsSetupIntentCancel": "off", "PostPayoutsPayoutCancel": "off", "PostRefundsRefundCancel": "off" } }"""), TestServer.Human(null));
        var customer = Id(await Write(s, "PostCustomers", """{"name":"Grace"}"""));
        var si = Id(await Write(s, "PostSetupIntents", $$"""{"customer":"{{customer}}"}"""));
        var confirmed = await Write(s, "PostSetupIntentsSetupIntentConfirm", $$"""{"setup_intent":"{{si}}","payment_method":"pm_card_visa"}""");
        Assert.Equal("succeeded", Str(confirmed, "status"));
        var fresh = Id(await Write(s, "PostSetupIntents", "{}"));
        var declined = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostSetupIntentsSetupIntentConfirm","arguments":{"setup_intent":"{{{fresh}}}","payment_method":"pm_card_chargeDeclined"}}""");
        Assert.True(declined.IsError);
        Assert.Equal("card_error", declined.Error().GetProperty("type").GetString());
        var other = Id(await Write(s, "PostSetupIntents", "{}"));
        Assert.Equal("canceled", Str(await Write(s, "PostSetupIntentsSetupIntentCancel", $$"""{"setup_intent":"{{other}}","cancellation_reason":"abandoned"}"""), "status"));

        sandbox.Execute("POST", "/v1/payment_intents", "amount=100000&currency=usd&payment_method=pm_card_visa&confirm=true");
        var account = sandbox.Execute("POST", "/v1/accounts", "type=custom&country=US&capabilities[transfers][requested]=true")["id"]!.GetValue<string>();
        var transfer = sandbox.Execute("POST", "/v1/transfers", $"amount=1000&currency=usd&destination={account}")["id"]!.GetValue<string>();
        var reversal = await Write(s, "PostTransfersTransferReversals", $$"""{"transfer":"{{transfer}}","amount":400}""");
        Assert.Equal(400, Long(reversal, "amount"));
        var after = sandbox.Execute("GET", $"/v1/transfers/{transfer}");
        Assert.Equal(400, after["amount_reversed"]!.GetValue<long>());
        var tooMuch = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostTransfersTransferReversals","arguments":{"transfer":"{{{transfer}}}","amount":601}}""");
        Assert.True(tooMuch.IsError);

        var payout = sandbox.Execute("POST", "/v1/payouts", "amount=500&currency=usd")["id"]!.GetValue<string>();
        Assert.Equal("canceled", Str(await Write(s, "PostPayoutsPayoutCancel", $$"""{"payout":"{{payout}}"}"""), "status"));
        var refund = sandbox.Execute("POST", "/v1/refunds", $"payment_intent={sandbox.Execute("GET", "/v1/payment_intents")["data"]![0]!["id"]}&amount=100")["id"]!.GetValue<string>();
        var cancelRefund = await s.CallAsync("stripe_api_write", $$$"""{"operation":"PostRefundsRefundCancel","arguments":{"refund":"{{{refund}}}"}}""");
        Assert.True(cancelRefund.IsError); // a card refund has already succeeded
        Assert.Contains("status of succeeded", cancelRefund.Text());
    }
}
