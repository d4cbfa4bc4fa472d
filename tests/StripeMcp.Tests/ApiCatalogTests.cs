namespace StripeMcp.Tests;

/// <summary>
/// The operation catalog derived from the Stripe.net we ship: what the generic path can reach, under which
/// permission, with which parameters — checked against the API as its published reference names it.
/// </summary>
public sealed class ApiCatalogTests
{
    [Fact]
    public void Uploads_and_downloads_of_the_files_host_are_left_out_not_sent_to_the_api_base()
    {
        Assert.Null(ApiCatalog.Find("PostFiles"));
        Assert.Null(ApiCatalog.Find("GetQuotesQuotePdf"));
        Assert.NotNull(ApiCatalog.Find("GetFilesFile")); // a file's metadata is the API's
    }

    private static ApiOperation Op(string id) => ApiCatalog.Find(id) ?? throw new Xunit.Sdk.XunitException($"no operation {id}");

    [Fact]
    public void Every_operation_has_one_id_a_v1_path_and_a_permission_of_resource_and_action()
    {
        Assert.True(ApiCatalog.All.Count > 450, $"only {ApiCatalog.All.Count} operations");
        Assert.Equal(ApiCatalog.All.Count, ApiCatalog.All.Select(o => o.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(ApiCatalog.All.Count, ApiCatalog.All.Select(o => (o.Method, o.Path)).Distinct().Count());
        Assert.All(ApiCatalog.All, o =>
        {
            Assert.StartsWith("/v1/", o.Path);
            Assert.DoesNotContain("{}", o.Path);
            Assert.Matches(@"^[a-z][A-Za-z]*\.(read|create|update|delete)$", o.Permission);
            Assert.Contains(o.Method, new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Delete });
            Assert.Equal(o.Holes.Count, o.ServiceMethod.GetParameters().TakeWhile(p => p.ParameterType == typeof(string)).Count());
        });
    }

    [Fact]
    public void Every_typed_tool_is_an_operation_of_the_catalog_under_the_same_permission()
    {
        foreach (var tool in ToolCatalog.All)
        {
            // Two tools may make one request (update_subscription, pause_subscription): the operation is the first's.
            var op = ApiCatalog.All.SingleOrDefault(o => o.Method == tool.Method && Shape(o.Path) == Shape(tool.Path));
            Assert.True(op is not null, $"{tool.Name} ({tool.Method} {tool.Path}) has no operation");
            Assert.Equal(tool.Permission, op!.Permission);
            if (op.TypedTool == tool) Assert.Equal(tool.Destructive, op.Destructive);
        }
    }

    public static TheoryData<string, string, string, string> LongTail => new()
    {
        { "PostQuotes", "POST", "/v1/quotes", "quotes.create" },
        { "PostQuotesQuoteAccept", "POST", "/v1/quotes/{quote}/accept", "quotes.update" },
        { "PostCreditNotes", "POST", "/v1/credit_notes", "creditNotes.create" },
        { "GetCreditNotesPreview", "GET", "/v1/credit_notes/preview", "creditNotes.read" },
        { "PostCreditNotesIdVoid", "POST", "/v1/credit_notes/{id}/void", "creditNotes.update" },
        { "PostSubscriptionSchedulesScheduleRelease", "POST", "/v1/subscription_schedules/{schedule}/release", "subscriptionSchedules.update" },
        { "PostTaxRates", "POST", "/v1/tax_rates", "taxRates.create" },
        { "PostCustomersCustomerBalanceTransactions", "POST", "/v1/customers/{customer}/balance_transactions", "customerBalanceTransactions.create" },
        { "GetInvoicesInvoiceLines", "GET", "/v1/invoices/{invoice}/lines", "invoices.read" },
        { "GetCustomersCustomerPaymentMethods", "GET", "/v1/customers/{customer}/payment_methods", "customers.read" },
        { "PostSetupIntentsIntentConfirm", "POST", "/v1/setup_intents/{intent}/confirm", "setupIntents.update" },
        { "PostRefundsRefundCancel", "POST", "/v1/refunds/{refund}/cancel", "refunds.update" },
        { "PostTransfersIdReversals", "POST", "/v1/transfers/{id}/reversals", "transferReversals.create" },
        { "PostPayoutsPayoutCancel", "POST", "/v1/payouts/{payout}/cancel", "payouts.update" },
        { "PostTestHelpersTestClocksTestClockAdvance", "POST", "/v1/test_helpers/test_clocks/{test_clock}/advance", "testClocks.update" },
    };

    [Theory, MemberData(nameof(LongTail))]
    public void The_long_tail_is_reachable_under_its_own_permission(string id, string method, string path, string permission)
    {
        var op = ApiCatalog.All.SingleOrDefault(o => o.Method.Method == method && Shape(o.Path) == Shape(path));
        Assert.True(op is not null, $"{method} {path} is not in the catalog");
        Assert.Equal(permission, op!.Permission);
        Assert.Same(op, ApiCatalog.Find(op.Id));
        Assert.NotNull(id);
    }

    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", "{}");

    [Fact]
    public void Destructive_operations_and_test_helpers_are_marked()
    {
        Assert.True(Op("PostQuotesQuoteCancel").Destructive);
        Assert.True(Op("DeleteTestHelpersTestClocksTestClock").Destructive);
        Assert.True(ApiCatalog.All.Single(o => o.Method == HttpMethod.Post && o.Path.EndsWith("/void") && o.Path.StartsWith("/v1/credit_notes/")).Destructive);
        Assert.False(Op("PostQuotesQuoteAccept").Destructive);
        Assert.False(Op("GetQuotes").Destructive);
        Assert.True(Op("PostTestHelpersTestClocks").TestHelper);
        Assert.False(Op("PostQuotes").TestHelper);
        Assert.All(ApiCatalog.All.Where(o => o.Method == HttpMethod.Delete), o => Assert.True(o.Destructive, o.Id));
    }

    [Fact]
    public void Parameters_come_from_the_options_class_with_their_form_names_types_values_and_nested_shapes()
    {
        var quote = Op("PostQuotes").Parameters.ToDictionary(p => p.Name);
        Assert.Equal("string", quote["customer"].Type);
        Assert.Equal("integer", quote["application_fee_amount"].Type);
        Assert.Equal("map", quote["metadata"].Type);
        Assert.Equal(["charge_automatically", "send_invoice"], quote["collection_method"].Enum!);
        var lines = quote["line_items"];
        Assert.Equal("array", lines.Type);
        Assert.Equal("object", lines.Items!.Type);
        Assert.Contains(lines.Items.Properties!, p => p.Name == "price" && p.Type == "string");
        Assert.Contains(lines.Items.Properties!, p => p.Name == "quantity" && p.Type == "integer");
        Assert.Equal("timestamp", quote["expires_at"].Type);
        Assert.DoesNotContain(quote.Keys, k => k.Any(char.IsUpper));
    }

    [Fact]
    public void Descriptions_are_read_from_the_package_at_run_time()
    {
        Assert.True(XmlDocs.Available, $"Stripe.net.xml not found (looked at {XmlDocs.Path ?? "nothing"})");
        Assert.Contains("quote", Op("PostQuotesQuoteAccept").Summary, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<", Op("PostQuotes").Summary);
        Assert.DoesNotContain("..", Op("PostQuotesQuoteAccept").Summary);
        Assert.True(ApiCatalog.All.Count(o => o.Summary is null) < 40, "most operations have a summary");
        Assert.NotNull(Op("PostQuotes").Parameters.Single(p => p.Name == "description").Description);
    }

    [Theory]
    [InlineData(new[] { "/v1/quotes" }, 0, "/v1/quotes")]
    [InlineData(new[] { "/v1/quotes/" }, 1, "/v1/quotes/{quote}")]
    [InlineData(new[] { "/v1/quotes/", "/accept" }, 1, "/v1/quotes/{quote}/accept")]
    [InlineData(new[] { "/v1/customers/", "/balance_transactions/" }, 2, "/v1/customers/{customer}/balance_transactions/{balance_transaction}")]
    [InlineData(new[] { "/v1/charges/", "/refunds" }, 2, null)]
    [InlineData(new[] { "/v1/quotes/", "accept" }, 1, null)]
    public void A_path_is_rebuilt_from_its_literals_only_when_the_holes_add_up(string[] literals, int ids, string? expected) =>
        Assert.Equal(expected, ApiCatalog.Template(literals, ids));
}
