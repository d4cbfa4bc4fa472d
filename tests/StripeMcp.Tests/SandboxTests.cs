using System.Text;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using StripeMcp.Sandbox;

namespace StripeMcp.Tests;

/// <summary>The sandbox on the wire, as any Stripe client sees it.</summary>
public sealed class SandboxTests : IAsyncLifetime
{
    private Sandbox.Sandbox _sandbox = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _sandbox = await Sandbox.Sandbox.StartAsync();
        _http = new HttpClient { BaseAddress = new Uri(_sandbox.BaseUrl) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_wire");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, string? form = null, string? key = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (form is not null) request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        var response = await _http.SendAsync(request);
        return (response, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("sk_live_abc123")]
    [InlineData("pk_test_abc123")]
    public async Task Only_test_keys_are_accepted_and_every_answer_has_a_request_id(string? key)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.BaseUrl) };
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await http.GetAsync("/v1/customers");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("req_", response.Headers.GetValues("Request-Id").Single());
        var ok = await Send(HttpMethod.Get, "/v1/customers");
        Assert.StartsWith("req_", ok.Response.Headers.GetValues("Request-Id").Single());
    }

    [Theory]
    [InlineData("sk_test_basic:", true)]   // curl -u sk_test_basic:  (the form Stripe's docs use)
    [InlineData("sk_test_basic", true)]    // no colon at all
    [InlineData("sk_live_basic:", false)]
    [InlineData(":sk_test_basic", false)]  // the key belongs in the user name, not the password
    public async Task Basic_auth_takes_the_key_from_the_user_name_as_Stripe_does(string credentials, bool accepted)
    {
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        var response = await http.GetAsync("/v1/customers");
        Assert.Equal(accepted ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task No_key_is_401_saying_both_ways_to_give_one_in_plain_text()
    {
        using var http = new HttpClient { BaseAddress = new Uri(_sandbox.BaseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "%%%not-base64");
        var body = await (await http.GetAsync("/v1/customers")).Content.ReadAsStringAsync();
        Assert.Contains("'Authorization: Bearer sk_test_…'", body);
        Assert.Contains("curl -u sk_test_…:", body);
    }

    [Fact]
    public async Task Idempotency_replays_the_first_answer_and_refuses_other_parameters()
    {
        var first = await Send(HttpMethod.Post, "/v1/customers", "name=Once", "key-1");
        var again = await Send(HttpMethod.Post, "/v1/customers", "name=Once", "key-1");
        Assert.Equal(first.Body.GetProperty("id").GetString(), again.Body.GetProperty("id").GetString());
        Assert.Equal("true", again.Response.Headers.GetValues("Idempotent-Replayed").Single());
        var other = await Send(HttpMethod.Post, "/v1/customers", "name=Twice", "key-1");
        Assert.Equal(HttpStatusCode.BadRequest, other.Response.StatusCode);
        Assert.Equal("idempotency_error", other.Body.GetProperty("error").GetProperty("type").GetString());
        Assert.Single((await Send(HttpMethod.Get, "/v1/customers")).Body.GetProperty("data").EnumerateArray());
    }

    [Theory]
    [InlineData("/v1/prices", "currency=usd&unit_amount=5", 400, "parameter_missing", "product")]
    [InlineData("/v1/prices", "product=prod_x&currency=usd&unit_amount=5", 404, "resource_missing", "product")]
    [InlineData("/v1/customers", "name=x&nmae=y", 400, "parameter_unknown", "nmae")]
    [InlineData("/v1/payment_intents", "amount=12.5&currency=usd", 400, "parameter_invalid_integer", "amount")]
    [InlineData("/v1/prices", "product_data[name]=P&currency=usd&unit_amount=5&recurring[interval]=fortnight", 400, null, "recurring[interval]")]
    // Parameters this API version renamed or dropped are unknown, as Stripe answers them.
    [InlineData("/v1/payment_intents", "amount=500&currency=usd&payment_method_types[]=card", 400, "parameter_unknown", "payment_method_types")]
    [InlineData("/v1/setup_intents", "payment_method_types[]=card", 400, "parameter_unknown", "payment_method_types")]
    [InlineData("/v1/checkout/sessions", "mode=setup&currency=usd&payment_method_types[]=card", 400, "parameter_unknown", "payment_method_types")]
    [InlineData("/v1/checkout/sessions", "mode=setup&currency=usd&ui_mode=hosted", 400, null, "ui_mode")]
    [InlineData("/v1/subscription_schedules", "customer=cus_x&start_date=now&phases[0][iterations]=2", 400, "parameter_unknown", "phases[0][iterations]")]
    [InlineData("/v1/tax_rates", "display_name=VAT&inclusive=false&percentage=101", 400, null, "percentage")]
    [InlineData("/v1/payment_methods", "type=card&card[number]=4242424242424242", 400, null, "card[number]")]
    public async Task Errors_come_in_Stripes_envelope_with_the_param(string path, string form, int status, string? code, string param)
    {
        var (response, body) = await Send(HttpMethod.Post, path, form);
        Assert.Equal(status, (int)response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        if (code is not null) Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(param, error.GetProperty("param").GetString());
    }

    [Theory]
    [InlineData("GET", "/v1/nothing_here")]
    [InlineData("DELETE", "/v1/charges/ch_1")]  // the path exists, the method does not: the same answer
    [InlineData("POST", "/v1/quotes/qt_1/pdf")]
    [InlineData("GET", "/v2/core/events")]
    public async Task Unknown_routes_answer_exactly_as_Stripe_does(string method, string path)
    {
        var (response, body) = await Send(new HttpMethod(method), path, method == "GET" ? null : "");
        Assert.Equal(404, (int)response.StatusCode);
        var error = body.GetProperty("error");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal($"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.", error.GetProperty("message").GetString());
        Assert.False(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task A_schedule_with_an_empty_start_date_is_a_missing_parameter_not_a_crash()
    {
        var customer = (await Send(HttpMethod.Post, "/v1/customers", "name=Sched")).Body.GetProperty("id").GetString();
        var price = (await Send(HttpMethod.Post, "/v1/prices", "product_data[name]=P&currency=usd&unit_amount=500&recurring[interval]=month")).Body.GetProperty("id").GetString();
        var (response, body) = await Send(HttpMethod.Post, "/v1/subscription_schedules", $"customer={customer}&start_date=&phases[0][items][0][price]={price}");
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("start_date", body.GetProperty("error").GetProperty("param").GetString());
    }

    [Fact]
    public async Task Checkout_sessions_speak_this_versions_ui_modes_and_return_the_fields_it_always_has()
    {
        var embedded = (await Send(HttpMethod.Post, "/v1/checkout/sessions", "mode=setup&currency=usd&ui_mode=embedded_page&return_url=https://example.com/r")).Body;
        Assert.Equal("embedded_page", embedded.GetProperty("ui_mode").GetString());
        Assert.StartsWith("cs_test_", embedded.GetProperty("client_secret").GetString()!.Split("_secret_")[0]);
        Assert.Equal(JsonValueKind.Null, embedded.GetProperty("url").ValueKind);
        var hosted = (await Send(HttpMethod.Post, "/v1/checkout/sessions", "mode=setup&currency=usd&success_url=https://example.com/ok")).Body;
        Assert.Equal("hosted_page", hosted.GetProperty("ui_mode").GetString());
        Assert.Equal(JsonValueKind.Array, hosted.GetProperty("custom_fields").ValueKind);
        Assert.Equal(JsonValueKind.Array, hosted.GetProperty("shipping_options").ValueKind);
        var pi = (await Send(HttpMethod.Post, "/v1/payment_intents", "amount=500&currency=usd&allowed_payment_method_types[]=card")).Body;
        Assert.Equal("card", pi.GetProperty("allowed_payment_method_types")[0].GetString());
    }

    [Fact]
    public async Task Lists_page_both_ways_newest_first()
    {
        for (var i = 0; i < 5; i++) await Send(HttpMethod.Post, "/v1/products", $"name=P{i}");
        var all = (await Send(HttpMethod.Get, "/v1/products?limit=100")).Body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["P4", "P3", "P2", "P1", "P0"], all);
        var ids = (await Send(HttpMethod.Get, "/v1/products?limit=100")).Body.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
        var after = (await Send(HttpMethod.Get, $"/v1/products?limit=2&starting_after={ids[1]}")).Body;
        Assert.Equal([ids[2], ids[3]], after.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.True(after.GetProperty("has_more").GetBoolean());
        var before = (await Send(HttpMethod.Get, $"/v1/products?limit=2&ending_before={ids[4]}")).Body;
        Assert.Equal([ids[2], ids[3]], before.GetProperty("data").EnumerateArray().Select(p => p.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Get, "/v1/products?limit=101")).Response.StatusCode);
    }

    [Theory]
    [InlineData("name:'Alpha'", 1)]
    [InlineData("name~'lph'", 1)]
    [InlineData("name:'Alpha' OR name:'Beta'", 2)]
    [InlineData("metadata['tier']:'gold' AND -name:'Alpha'", 1)]
    [InlineData("email~'example.com'", 3)]
    public async Task Search_speaks_Stripes_query_language(string query, int expected)
    {
        await Send(HttpMethod.Post, "/v1/customers", "name=Alpha&email=a%40example.com&metadata[tier]=gold");
        await Send(HttpMethod.Post, "/v1/customers", "name=Beta&email=b%40example.com&metadata[tier]=gold");
        await Send(HttpMethod.Post, "/v1/customers", "name=Gamma&email=g%40example.com");
        var body = (await Send(HttpMethod.Get, "/v1/customers/search?query=" + Uri.EscapeDataString(query))).Body;
        Assert.Equal("search_result", body.GetProperty("object").GetString());
        Assert.Equal(expected, body.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Search_pages_with_next_page_and_rejects_mixed_joiners()
    {
        for (var i = 0; i < 3; i++) await Send(HttpMethod.Post, "/v1/products", $"name=Same&active=true");
        var first = (await Send(HttpMethod.Get, "/v1/products/search?limit=2&query=" + Uri.EscapeDataString("name:'Same'"))).Body;
        Assert.True(first.GetProperty("has_more").GetBoolean());
        var next = first.GetProperty("next_page").GetString();
        var second = (await Send(HttpMethod.Get, $"/v1/products/search?limit=2&page={Uri.EscapeDataString(next!)}&query=" + Uri.EscapeDataString("name:'Same'"))).Body;
        Assert.Equal(1, second.GetProperty("data").GetArrayLength());
        var mixed = await Send(HttpMethod.Get, "/v1/products/search?query=" + Uri.EscapeDataString("name:'a' AND name:'b' OR name:'c'"));
        Assert.Equal(HttpStatusCode.BadRequest, mixed.Response.StatusCode);
    }

    [Fact]
    public async Task Faults_429_503_reset_and_stall()
    {
        _sandbox.Faults.Stall = TimeSpan.FromMilliseconds(400);
        _sandbox.Faults.Script(Fault.RateLimit, Fault.Unavailable, Fault.Reset, Fault.Stall);

        var limited = await Send(HttpMethod.Get, "/v1/customers");
        Assert.Equal(429, (int)limited.Response.StatusCode);
        Assert.Equal("true", limited.Response.Headers.GetValues("Stripe-Should-Retry").Single());
        Assert.Equal(503, (int)(await Send(HttpMethod.Get, "/v1/customers")).Response.StatusCode);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => _http.GetAsync("/v1/customers"));
        var watch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/customers")).Response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(350), $"stall took {watch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, (await Send(HttpMethod.Get, "/v1/customers")).Response.StatusCode);
    }

    [Fact]
    public async Task A_share_of_requests_fail_at_the_configured_rate()
    {
        _sandbox.Faults.Kinds = [Fault.ServerError];
        _sandbox.Faults.Rate = 0.5;
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++) statuses.Add((int)(await Send(HttpMethod.Get, "/v1/balance")).Response.StatusCode);
        _sandbox.Faults.Clear();
        var failed = statuses.Count(s => s == 500);
        Assert.InRange(failed, 60, 140);
        Assert.Equal(200 - failed, statuses.Count(s => s == 200));
    }

    [Fact]
    public async Task Balance_moves_with_charges_and_refunds()
    {
        var pi = (await Send(HttpMethod.Post, "/v1/payment_intents", "amount=10000&currency=usd&payment_method=pm_card_visa&confirm=true")).Body;
        var balance = (await Send(HttpMethod.Get, "/v1/balance")).Body.GetProperty("available")[0].GetProperty("amount").GetInt64();
        Assert.Equal(10000 - 320, balance);
        await Send(HttpMethod.Post, "/v1/refunds", $"payment_intent={pi.GetProperty("id").GetString()}&amount=4000");
        Assert.Equal(10000 - 320 - 4000, (await Send(HttpMethod.Get, "/v1/balance")).Body.GetProperty("available")[0].GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Invoices_void_and_uncollectible_only_from_open()
    {
        var cus = (await Send(HttpMethod.Post, "/v1/customers", "name=Inv")).Body.GetProperty("id").GetString();
        var draft = (await Send(HttpMethod.Post, "/v1/invoices", $"customer={cus}&collection_method=send_invoice&days_until_due=30")).Body.GetProperty("id").GetString();
        await Send(HttpMethod.Post, "/v1/invoiceitems", $"customer={cus}&invoice={draft}&amount=1000&currency=usd");
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, $"/v1/invoices/{draft}/void")).Response.StatusCode);
        await Send(HttpMethod.Post, $"/v1/invoices/{draft}/finalize");
        Assert.Equal("open", (await Send(HttpMethod.Post, $"/v1/invoices/{draft}/send")).Body.GetProperty("status").GetString());
        Assert.Equal("void", (await Send(HttpMethod.Post, $"/v1/invoices/{draft}/void")).Body.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(HttpMethod.Post, $"/v1/invoices/{draft}/mark_uncollectible")).Response.StatusCode);
    }
}
