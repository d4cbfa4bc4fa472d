using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// Part B: Stripe (or whatever answers at the API base) is hostile. Each case scripts the stand-in's
/// answers and checks the call ends in a clear JSON error of the contracted type — never the SDK's generic
/// "An error occurred invoking" — with exactly one audit line, no secret anywhere, nothing followed to
/// another host, no refund sent on an unverifiable limit, and the server still answering afterwards.
/// </summary>
public sealed partial class HostileStripeTests(HostileStripeFixture f) : IClassFixture<HostileStripeFixture>
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(15);
    private static readonly string SecretTail = TestServer.TestKey["sk_test_".Length..];

    // ---- the answers ----

    private const string Html = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>upstream said: Invalid API Key provided: " + TestServer.TestKey + "</p></body></html>";
    private const string HtmlType = "text/html; charset=utf-8";
    private const string Customer = """{"id":"cus_1","object":"customer","name":"Zoe","livemode":false}""";
    private const string Intent = """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","latest_charge":"ch_1","status":"succeeded"}""";
    private const string Charge = """{"id":"ch_1","object":"charge","amount":500,"amount_captured":500,"amount_refunded":0,"currency":"usd","payment_intent":"pi_1"}""";
    private const string Refund = """{"id":"re_1","object":"refund","amount":500,"currency":"usd","status":"succeeded"}""";

    /// <summary>Unusable answers any call can get, with what their error must say. (status, content type as sent.)</summary>
    private static IEnumerable<(string Name, Scripted Answer, int Status, string? ContentType, string[] Message)> Unusable(string objectType)
    {
        yield return ("html_200", Scripted.Raw(200, Html, HtmlType), 200, "text/html", ["200", "text/html"]);
        yield return ("html_502", Scripted.Raw(502, Html, HtmlType), 502, "text/html", ["502", "text/html"]);
        yield return ("empty_body_no_content_type", Scripted.Raw(200, "", null), 200, null, ["200"]);
        yield return ("json_null", Scripted.Raw(200, "null", "application/json"), 200, "application/json", ["200"]);
        yield return ("json_empty_array", Scripted.Raw(200, "[]", "application/json"), 200, "application/json", ["200"]);
        yield return ("json_array", Scripted.Raw(200, "[1,2]", "application/json"), 200, "application/json", ["200"]);
        yield return ("truncated_json", Scripted.Raw(200, """{"id":"cus_1","obj""", "application/json"), 200, "application/json", ["200", "application/json"]);
        yield return ("nested_200_deep", Scripted.Raw(200, "{\"id\":\"x_1\",\"object\":\"" + objectType + "\",\"address\":" + Scripted.Nested(198) + "}", "application/json"), 200, "application/json", ["200"]);
        yield return ("error_body_with_200", Scripted.Raw(200, """{"error":{"type":"api_error","message":"x"}}""", "application/json"), 200, "application/json", ["200"]);
    }

    private static readonly int[] RedirectCodes = [301, 302, 303, 307, 308];

    private static Func<FakeStripe, Scripted[]> Answers(params Scripted[] answers) => _ => answers;

    public static readonly IReadOnlyList<HostileCase> Cases = Build();

    private static List<HostileCase> Build()
    {
        var cases = new List<HostileCase>();
        Func<string, string> read = tag => $$"""{"customer":"cus_{{tag}}"}""";
        Func<string, string> write = tag => $$"""{"name":"{{tag}}"}""";
        Func<string, string> refund = tag => "{\"payment_intent\":\"pi_1\",\"metadata\":{\"case\":\"" + tag + "\"}}";

        foreach (var (tool, args, post) in new[] { ("retrieve_customer", read, false), ("create_customer", write, true) })
        {
            foreach (var (name, answer, status, type, message) in Unusable("customer"))
                cases.Add(new($"{tool}/{name}", tool, args, Answers(answer), new("upstream_error") { HttpStatus = status, ContentType = type, Message = message, IdempotencyKey = post }));
            cases.Add(new($"{tool}/wrong_object_charge", tool, args, Answers(new Scripted(200, """{"id":"ch_1","object":"charge","amount":100,"currency":"usd"}""")),
                new("upstream_error") { HttpStatus = 200, ContentType = "application/json", IdempotencyKey = post }));
            cases.Add(new($"{tool}/list_without_data", tool, args, Answers(new Scripted(200, """{"object":"list","url":"/v1/customers","has_more":false}""")),
                new("upstream_error") { HttpStatus = 200, ContentType = "application/json", IdempotencyKey = post }));
            foreach (var code in RedirectCodes)
                cases.Add(new($"{tool}/redirect_{code}", tool, args, elsewhere => [Scripted.Redirect(code, elsewhere.BaseUrl + (post ? "/v1/customers" : "/v1/customers/cus_1"))],
                    new("upstream_error") { HttpStatus = code, Message = ["redirect", code.ToString()], IdempotencyKey = post }));
            cases.Add(new($"{tool}/result_30_MB", tool, args, Answers(Scripted.Huge(30 * 1024 * 1024)), new("result_too_large") { Message = ["limit"], IdempotencyKey = post }));
            cases.Add(new($"{tool}/connection_reset", tool, args, Answers(Scripted.ConnectionReset()), new("network_error") { IdempotencyKey = post }));
            cases.Add(new($"{tool}/stall_past_timeout", tool, args, Answers(Scripted.Stall(TimeSpan.FromSeconds(30), new Scripted(200, Customer))),
                new("network_error") { Message = ["timed out"], IdempotencyKey = post }));
        }

        // A list tool's list-shaped answers.
        Func<string, string> list = tag => $$"""{"starting_after":"cus_{{tag}}"}""";
        cases.Add(new("list_customers/list_without_data", "list_customers", list, Answers(new Scripted(200, """{"object":"list","url":"/v1/customers","has_more":false}""")), new("upstream_error") { HttpStatus = 200 }));
        cases.Add(new("list_customers/data_not_an_array", "list_customers", list, Answers(new Scripted(200, """{"object":"list","url":"/v1/customers","has_more":false,"data":{"id":"cus_1"}}""")), new("upstream_error") { HttpStatus = 200 }));
        cases.Add(new("list_customers/an_object_not_a_list", "list_customers", list, Answers(new Scripted(200, Customer)), new("upstream_error") { HttpStatus = 200 }));

        // create_refund: the payment intent lookup (GET /v1/payment_intents/pi_1) answers badly.
        var unverifiablePi = new Expected("limit_unverifiable") { Message = ["pi_1"], NoRefundSent = true };
        foreach (var (name, answer, _, _, _) in Unusable("payment_intent"))
            cases.Add(new($"create_refund/intent_lookup_{name}", "create_refund", refund, Answers(answer, new Scripted(200, Charge), new Scripted(200, Refund)), unverifiablePi));
        foreach (var code in RedirectCodes)
            cases.Add(new($"create_refund/intent_lookup_redirect_{code}", "create_refund", refund,
                elsewhere => [Scripted.Redirect(code, elsewhere.BaseUrl + "/v1/payment_intents/pi_1"), new Scripted(200, Charge), new Scripted(200, Refund)], unverifiablePi));
        foreach (var (name, intent) in new[]
        {
            ("intent_without_latest_charge", """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","status":"requires_payment_method"}"""),
            ("intent_latest_charge_null", """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","latest_charge":null}"""),
            ("intent_latest_charge_number", """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","latest_charge":12345}"""),
            ("intent_latest_charge_array", """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","latest_charge":["ch_1"]}"""),
            ("intent_latest_charge_dotdot", """{"id":"pi_1","object":"payment_intent","amount":500,"currency":"usd","latest_charge":".."}"""),
            ("intent_is_a_charge", """{"id":"ch_1","object":"charge","amount":500,"currency":"usd"}"""),
        })
            cases.Add(new($"create_refund/{name}", "create_refund", refund, Answers(new Scripted(200, intent), new Scripted(200, Charge), new Scripted(200, Refund)), unverifiablePi));

        // … then the charge lookup (GET /v1/charges/ch_1) answers badly.
        var unverifiableCharge = new Expected("limit_unverifiable") { Message = ["ch_1"], NoRefundSent = true };
        foreach (var (name, answer, _, _, _) in Unusable("charge").Where(u => u.Name is "html_200" or "json_null" or "truncated_json" or "error_body_with_200"))
            cases.Add(new($"create_refund/charge_lookup_{name}", "create_refund", refund, Answers(new Scripted(200, Intent), answer, new Scripted(200, Refund)), unverifiableCharge));
        cases.Add(new("create_refund/charge_lookup_redirect_302", "create_refund", refund,
            elsewhere => [new Scripted(200, Intent), Scripted.Redirect(302, elsewhere.BaseUrl + "/v1/charges/ch_1"), new Scripted(200, Refund)], unverifiableCharge));
        foreach (var (name, charge) in new[]
        {
            ("charge_amount_captured_string", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":"500","amount_refunded":0,"currency":"usd"}"""),
            ("charge_amount_captured_fraction", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":500.5,"amount_refunded":0,"currency":"usd"}"""),
            ("charge_amount_captured_1e30", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":1e30,"amount_refunded":0,"currency":"usd"}"""),
            ("charge_without_amount_refunded", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":500,"currency":"usd"}"""),
            ("charge_without_currency", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":500,"amount_refunded":0}"""),
            ("charge_currency_a_number", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":500,"amount_refunded":0,"currency":840}"""),
            ("charge_refunded_more_than_captured", """{"id":"ch_1","object":"charge","amount":500,"amount_captured":100,"amount_refunded":500,"currency":"usd"}"""),
            ("charge_is_a_refund", """{"id":"re_1","object":"refund","amount_captured":500,"amount_refunded":0,"currency":"usd"}"""),
        })
            cases.Add(new($"create_refund/{name}", "create_refund", refund, Answers(new Scripted(200, Intent), new Scripted(200, charge), new Scripted(200, Refund)), unverifiableCharge));

        // A lookup that gets no answer: a network error, and still no refund.
        cases.Add(new("create_refund/intent_lookup_connection_reset", "create_refund", refund, Answers(Scripted.ConnectionReset(), new Scripted(200, Charge), new Scripted(200, Refund)),
            new("network_error") { NoRefundSent = true }));
        cases.Add(new("create_refund/intent_lookup_stall_past_timeout", "create_refund", refund, Answers(Scripted.Stall(TimeSpan.FromSeconds(30), new Scripted(200, Intent)), new Scripted(200, Charge), new Scripted(200, Refund)),
            new("network_error") { Message = ["timed out"], NoRefundSent = true }));

        // The lookups are fine and within the limit; the refund POST itself gets the hostile answer.
        foreach (var (name, answer, status, type, message) in Unusable("refund").Where(u => u.Name is "html_200" or "html_502" or "truncated_json" or "json_null" or "error_body_with_200"))
            cases.Add(new($"create_refund/refund_post_{name}", "create_refund", refund, Answers(new Scripted(200, Intent), new Scripted(200, Charge), answer),
                new("upstream_error") { HttpStatus = status, ContentType = type, Message = message, IdempotencyKey = true }));
        cases.Add(new("create_refund/refund_post_wrong_object_customer", "create_refund", refund, Answers(new Scripted(200, Intent), new Scripted(200, Charge), new Scripted(200, Customer)),
            new("upstream_error") { HttpStatus = 200, IdempotencyKey = true }));
        foreach (var code in RedirectCodes)
            cases.Add(new($"create_refund/refund_post_redirect_{code}", "create_refund", refund,
                elsewhere => [new Scripted(200, Intent), new Scripted(200, Charge), Scripted.Redirect(code, elsewhere.BaseUrl + "/v1/refunds")],
                new("upstream_error") { HttpStatus = code, Message = ["redirect", code.ToString()], IdempotencyKey = true }));
        cases.Add(new("create_refund/refund_post_connection_reset", "create_refund", refund, Answers(new Scripted(200, Intent), new Scripted(200, Charge), Scripted.ConnectionReset()),
            new("network_error") { IdempotencyKey = true }));
        cases.Add(new("create_refund/refund_post_stall_past_timeout", "create_refund", refund, Answers(new Scripted(200, Intent), new Scripted(200, Charge), Scripted.Stall(TimeSpan.FromSeconds(30), new Scripted(200, Refund))),
            new("network_error") { Message = ["timed out"], IdempotencyKey = true }));
        return cases;
    }

    public static IEnumerable<object[]> CaseNames() => Cases.Select(c => new object[] { c.Name });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task A_hostile_answer_ends_in_a_clear_error(string name)
    {
        var c = Cases.Single(x => x.Name == name);
        var tag = "h" + TagRegex().Replace(name, "_");
        var failures = await RunAsync(c, tag);
        Assert.True(failures.Count == 0, $"{name}:\n  " + string.Join("\n  ", failures));
    }

    private async Task<List<string>> RunAsync(HostileCase c, string tag)
    {
        var failures = new List<string>();
        f.Stripe.Reset();
        f.Elsewhere.Reset();
        f.Stripe.Enqueue(c.Script(f.Elsewhere));
        var stderrStart = f.Server.Stderr.Count;

        CallToolResult? result = null;
        try
        {
            using var doc = JsonDocument.Parse(c.Args(tag));
            var args = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            using var cts = new CancellationTokenSource(CallTimeout);
            result = await f.Server.Client.CallToolAsync(new CallToolRequestParams { Name = c.Tool, Arguments = args }, cts.Token);
        }
        catch (OperationCanceledException)
        {
            failures.Add($"no answer within {CallTimeout.TotalSeconds:F0} s (is the request timeout applied on stdio?)");
        }
        catch (Exception e)
        {
            failures.Add($"the call threw {e.GetType().Name}: {Short(e.Message)}");
        }

        var requests = f.Stripe.Requests.ToList();
        if (result is not null) failures.AddRange(CheckResult(c, result, requests, f.Stripe.BaseUrl));
        var elsewhere = f.Elsewhere.Requests.ToList();
        if (elsewhere.Count > 0)
            failures.Add($"a redirect was followed: the other host got {string.Join(", ", elsewhere.Select(r => $"{r.Method} {r.Path}"))}");
        if (c.Expect.NoRefundSent && requests.Concat(elsewhere).Any(r => r.Method == "POST" && r.Path == "/v1/refunds"))
            failures.Add($"POST /v1/refunds was sent although the limit could not be verified (requests: {string.Join(", ", requests.Select(r => $"{r.Method} {r.Path}"))})");
        if (c.Expect.NoRefundSent && requests.Any(r => r.Method == "GET" && r.Path != "/v1/payment_intents/pi_1" && !Regex.IsMatch(r.Path, "^/v1/charges/[A-Za-z0-9_]+$")))
            failures.Add($"a lookup went outside /v1/payment_intents/pi_1 and /v1/charges/<id>: {string.Join(", ", requests.Select(r => $"{r.Method} {r.Path}"))}");

        // Exactly one audit line for the call (its tag is in the arguments it records).
        bool Mine(string l) => l.Contains($" audit {c.Tool} ") && l.Contains(tag);
        for (var i = 0; i < 30 && !f.Server.Stderr.Skip(stderrStart).Any(Mine); i++) await Task.Delay(100);
        await Task.Delay(100);
        var audit = f.Server.Stderr.Skip(stderrStart).Count(Mine);
        if (audit != 1) failures.Add($"{audit} audit lines for the call instead of 1");

        // Still serving.
        f.Stripe.Reset();
        f.Stripe.Enqueue(new Scripted(200, """{"id":"cus_Alive","object":"customer","name":"Still here"}"""));
        try
        {
            using var cts = new CancellationTokenSource(CallTimeout);
            var alive = await f.Server.Client.CallToolAsync("retrieve_customer", new Dictionary<string, object?> { ["customer"] = "cus_Alive" }, cancellationToken: cts.Token);
            if (alive.IsError == true || !alive.Text().Contains("cus_Alive")) failures.Add($"the server no longer answers a valid call: {Short(alive.Text())}");
        }
        catch (Exception e)
        {
            failures.Add($"the server no longer answers a valid call: {e.GetType().Name} {Short(e.Message)}");
        }

        var leaked = f.Server.Stderr.Skip(stderrStart).Where(l => l.Contains(SecretTail)).ToList();
        if (leaked.Count > 0) failures.Add($"the API key is on stderr: {Short(leaked[0])}");
        return failures;
    }

    private static IEnumerable<string> CheckResult(HostileCase c, CallToolResult result, List<RecordedRequest> requests, string apiBase)
    {
        var text = result.Text();
        if (text.Contains(SecretTail) || (result.StructuredContent?.GetRawText().Contains(SecretTail) ?? false)) yield return "the API key is in the result";
        if (result.IsError != true)
        {
            yield return $"not an error result: {Short(text)}";
            yield break;
        }
        if (text.Contains("An error occurred invoking"))
        {
            yield return $"the SDK's generic error instead of ours: {Short(text)}";
            yield break;
        }
        if (InvalidArgumentsTests.ErrorObject(text) is not { } error)
        {
            yield return $"not {{\"error\":{{…}}}} JSON: {Short(text)}";
            yield break;
        }
        var e = c.Expect;
        var type = error.TryGetProperty("type", out var t) ? t.ToString() : "(none)";
        var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        if (type != e.Type) yield return $"error type {type}, expected {e.Type}: {Short(message)}";
        if (message.Length == 0) yield return "no message";
        foreach (var part in e.Message.Where(p => !message.Contains(p, StringComparison.OrdinalIgnoreCase)))
            yield return $"message does not say \"{part}\": {Short(message)}";
        if (e.Type == "upstream_error" && e.Message.Contains("redirect") && !message.Contains(apiBase))
            yield return $"message does not name the API base {apiBase}: {Short(message)}";
        if (e.HttpStatus is { } status && !(error.TryGetProperty("http_status", out var hs) && hs.ValueKind == JsonValueKind.Number && hs.GetInt32() == status))
            yield return $"http_status is {(error.TryGetProperty("http_status", out var h) ? h.GetRawText() : "missing")}, expected {status}";
        if (e.ContentType is { } ct && !(error.TryGetProperty("content_type", out var cte) && cte.ValueKind == JsonValueKind.String && cte.GetString()!.StartsWith(ct, StringComparison.OrdinalIgnoreCase)))
            yield return $"content_type is {(error.TryGetProperty("content_type", out var x) ? x.GetRawText() : "missing")}, expected {ct}";
        if (e.IdempotencyKey)
        {
            var sent = requests.LastOrDefault(r => r.Method == "POST")?.Header("Idempotency-Key");
            var key = error.TryGetProperty("idempotency_key", out var k) && k.ValueKind == JsonValueKind.String ? k.GetString() : null;
            if (key is null || !key.StartsWith("stripe-mcp-")) yield return "no idempotency_key on an error of a POST that may have landed";
            else if (sent is not null && sent != key) yield return $"idempotency_key {key} is not the one sent ({sent})";
        }
    }

    private static string Short(string s, int max = 300)
    {
        s = s.Replace("\n", "\\n");
        return s.Length > max ? s[..max] + "…" : s;
    }

    [GeneratedRegex("[^A-Za-z0-9]")]
    private static partial Regex TagRegex();
}
