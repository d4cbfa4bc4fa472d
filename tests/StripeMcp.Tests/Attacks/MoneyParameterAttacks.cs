using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// Attacks generated from the catalog, not written by example: for every operation a money rule covers × every
/// parameter money-parameters.txt does not call neutral, a call that is under the limit is given a huge, negative,
/// decimal, other-currency or otherwise hostile value there, through stripe_api_write and through every typed tool
/// that has the parameter, with limits keyed by tool name and by resource. Each must be refused (over the limit,
/// unverifiable, or invalid) and none may reach the stand-in. In process: thousands of calls, seconds.
/// </summary>
public sealed class MoneyParameterAttacks
{
    private const long Cap = 5000;

    /// <summary>
    /// For each money operation, two calls: one under every cap (100 usd, or nothing), whose measured and refused
    /// parameters are attacked; and one over them (900,000 usd, or unmeasurable), which no neutral parameter may get through.
    /// </summary>
    private static readonly Dictionary<string, (string Under, string Over)> Calls = new()
    {
        ["POST /v1/refunds"] = ("""{"charge":"ch_base","amount":100}""",
            """{"charge":"ch_base","amount":90000}"""),
        ["POST /v1/payment_intents"] = ("""{"amount":100,"currency":"usd"}""",
            """{"amount":900000,"currency":"usd"}"""),
        ["POST /v1/payment_intents/{}"] = ("""{"payment_intent":"pi_small","amount":100,"currency":"usd"}""",
            """{"payment_intent":"pi_small","amount":900000,"currency":"usd"}"""),
        ["POST /v1/payment_intents/{}/confirm"] = ("""{"payment_intent":"pi_small"}""",
            """{"payment_intent":"pi_big"}"""),
        ["POST /v1/payment_intents/{}/capture"] = ("""{"payment_intent":"pi_small","amount_to_capture":100}""",
            """{"payment_intent":"pi_big"}"""),
        ["POST /v1/invoices"] = ("""{"customer":"cus_base"}""",
            """{"customer":"cus_base","auto_advance":true}"""),
        ["POST /v1/invoices/{}/finalize"] = ("""{"invoice":"in_small"}""",
            """{"invoice":"in_big"}"""),
        ["POST /v1/invoices/{}/send"] = ("""{"invoice":"in_small"}""",
            """{"invoice":"in_big"}"""),
        ["POST /v1/invoices/{}/pay"] = ("""{"invoice":"in_small"}""",
            """{"invoice":"in_big"}"""),
        ["POST /v1/invoiceitems"] = ("""{"customer":"cus_base","amount":100,"currency":"usd"}""",
            """{"customer":"cus_base","amount":-900000,"currency":"usd"}"""),
        ["POST /v1/prices"] = ("""{"product":"prod_base","unit_amount":100,"currency":"usd"}""",
            """{"product":"prod_base","unit_amount":900000,"currency":"usd"}"""),
        ["POST /v1/transfers"] = ("""{"amount":100,"currency":"usd","destination":"acct_base"}""",
            """{"amount":900000,"currency":"usd","destination":"acct_base"}"""),
        ["POST /v1/payment_links"] = ("""{"line_items":[{"price":"price_small","quantity":1}]}""",
            """{"line_items":[{"price":"price_small","quantity":9000}]}"""),
        ["POST /v1/checkout/sessions"] = ("""{"mode":"payment","success_url":"https://example.com/ok","line_items":[{"price":"price_small","quantity":1}]}""",
            """{"mode":"payment","success_url":"https://example.com/ok","line_items":[{"price":"price_small","quantity":9000}]}"""),
        ["POST /v1/subscriptions"] = ("""{"customer":"cus_base","items":[{"price":"price_small","quantity":1}]}""",
            """{"customer":"cus_base","items":[{"price":"price_small","quantity":9000}]}"""),
        ["POST /v1/subscriptions/{}"] = ("""{"subscription":"sub_small","items":[{"id":"si_small","quantity":1}]}""",
            """{"subscription":"sub_small","items":[{"id":"si_small","quantity":9000}]}"""),
        ["DELETE /v1/subscriptions/{}"] = ("""{"subscription":"sub_small"}""",
            """{"subscription":"sub_small","invoice_now":true}"""),
    };


    [Fact]
    public void Every_money_operation_has_a_base_call()
    {
        Assert.Equal(MoneyOperations.MoneyKeys.Order(), Calls.Keys.Order());
    }

    public static TheoryData<string> Keyings => new() { "tool", "resource" };

    [Theory]
    [MemberData(nameof(Keyings))]
    public async Task No_hostile_value_of_any_parameter_moves_money_past_a_limit(string keying)
    {
        await using var stripe = await MoneyStandIn.StartAsync();
        var moneyTools = ToolCatalog.All.Where(t => t.Money is not null).ToList();
        var keys = keying == "tool" ? moneyTools.Select(t => t.Name) : moneyTools.Select(t => t.Resource).Distinct();
        var limits = new JsonObject();
        foreach (var k in keys) limits[k] = new JsonObject { ["maxAmount"] = new JsonObject { ["usd"] = Cap } };
        var config = TestFiles.Config(new JsonObject { ["limits"] = limits, ["http"] = new JsonObject { ["rateLimitPerMinute"] = 1_000_000 } }.ToJsonString());
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, Host = "127.0.0.1", ApiKey = "sk_test_attacks", StripeApiBase = stripe.BaseUrl, Tools = "all" }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        await using var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri(app.Urls.First() + "/mcp"), TransportMode = HttpTransportMode.StreamableHttp }), TestServer.Human("accept"));

        // The base calls themselves pass (so a refusal below is the hostile value's doing) — through the generic path.
        foreach (var (key, (under, _)) in Calls)
        {
            var op = ApiCatalog.All.Single(o => MoneyOperations.Key(o.Method, o.Path) == key);
            var sent = await client.CallToolAsync(GenericTool.Write, Generic(op, JsonNode.Parse(under)!.AsObject()));
            Assert.True(sent.IsError != true || sent.Text().Contains("upstream_error"), $"{key} base call: {sent.Text()}"); // the stand-in answers writes with no real object
        }
        Assert.Equal(Calls.Count, stripe.Writes.Count);
        stripe.Writes.Clear();

        var attacks = Attacks().ToList();
        Assert.True(attacks.Count > 2000, $"only {attacks.Count} attacks were generated");
        var leaks = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(attacks, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (a, ct) =>
        {
            var result = await client.CallToolAsync(a.Tool, a.Arguments, cancellationToken: ct);
            var code = result.IsError == true && JsonDocument.Parse(result.Text()).RootElement.TryGetProperty("error", out var e) && e.TryGetProperty("type", out var c) ? c.GetString() : null;
            // invalid_request_error: Stripe refused a lookup the check made (a made-up id); writes are checked below.
            if (code is not ("limit_exceeded" or "limit_unverifiable" or "invalid_arguments" or "invalid_request_error" or "expand_not_allowed"))
                leaks.Add($"{a.Description} via {a.Tool}: {(result.IsError == true ? "" : "SENT ")}{result.Text()[..Math.Min(300, result.Text().Length)]}");
        });
        Assert.True(leaks.IsEmpty, $"{leaks.Count} of {attacks.Count} attacks were not refused:\n{string.Join("\n", leaks.Take(40))}");
        Assert.True(stripe.Writes.IsEmpty, $"writes reached the stand-in: {string.Join("\n", stripe.Writes.Take(20))}");
    }

    private sealed record Attack(string Tool, Dictionary<string, object?> Arguments, string Description);

    private static IEnumerable<Attack> Attacks()
    {
        foreach (var (key, (under, over)) in Calls)
        {
            var op = ApiCatalog.All.Single(o => MoneyOperations.Key(o.Method, o.Path) == key);
            var classes = MoneyParameters.For(key)!;
            var leaves = MoneyClassificationTests.PathsOf(op).Select(p => (Path: p, Param: Find(op, p))).Where(x => x.Param is not null);
            foreach (var (path, param) in leaves)
            {
                var line = classes.Lines[path];
                // A measured switch or date is the rule's to read (paid_out_of_band, trial_end): its examples are in SafetyTests.
                if (line.Class == ParamClass.Measured && param!.Type is "boolean" or "timestamp") continue;
                var neutral = line.Class == ParamClass.Neutral;
                foreach (var value in neutral ? [Any(path, param!)] : Hostile(path, param!, line))
                {
                    // A measured or refused parameter is attacked in a call under the limit; a neutral one in a call over it.
                    var args = JsonNode.Parse(neutral ? over : under)!.AsObject();
                    Set(args, path, value);
                    var what = $"{key} {path}={value?.ToJsonString()}";
                    yield return new Attack(GenericTool.Write, Generic(op, args), what);
                    foreach (var typed in ToolCatalog.Making(key).Where(t => Has(t, path)))
                        yield return new Attack(typed.Name, JsonSerializer.Deserialize<Dictionary<string, object?>>(args.ToJsonString())!, what);
                }
            }
        }
    }

    private static Dictionary<string, object?> Generic(ApiOperation op, JsonObject args) => new()
    {
        ["operation"] = op.Id,
        ["arguments"] = JsonSerializer.Deserialize<JsonElement>(args.ToJsonString()),
    };

    /// <summary>Some value of the parameter's type, for a neutral parameter.</summary>
    private static JsonNode? Any(string path, ApiParameter p) => p.Type switch
    {
        "integer" or "timestamp" => JsonValue.Create(900_000_000L),
        "number" => JsonValue.Create(9e8),
        "boolean" => JsonValue.Create(true),
        "map" => new JsonObject { ["k"] = "v" },
        "array" => new JsonArray(JsonValue.Create("x1")),
        _ => p.Enum is { Count: > 0 } e ? JsonValue.Create(e[0]) : JsonValue.Create(path.EndsWith("url", StringComparison.Ordinal) ? "https://example.com/x" : "x1"),
    };

    /// <summary>Values that would move more, or less checkably, than the base call: by the parameter's type.</summary>
    private static IEnumerable<JsonNode?> Hostile(string path, ApiParameter p, Classification line)
    {
        var leaf = path[(path.LastIndexOf('.') + 1)..].TrimEnd('[', ']');
        if (line.Class == ParamClass.NeutralIf)
        {
            foreach (var v in (p.Enum ?? (p.Type == "boolean" ? ["true", "false"] : [])).Where(v => !line.Values.Contains(v)))
                yield return p.Type == "boolean" ? JsonValue.Create(v == "true") : JsonValue.Create(v);
            yield break;
        }
        switch (p.Type)
        {
            case "integer" or "timestamp":
                yield return JsonValue.Create(900_000_000L);
                yield return JsonValue.Create(-50_000L);
                break;
            case "number":
                yield return JsonValue.Create(9e8);
                yield return JsonValue.Create(-5.5);
                break;
            case "boolean":
                yield return JsonValue.Create(true);
                yield return JsonValue.Create(false);
                break;
            case "map":
                yield return new JsonObject { ["eur"] = new JsonObject { ["unit_amount"] = 900_000_000L } };
                break;
            case "array":
                yield return new JsonArray(JsonValue.Create(leaf.Contains("tax") ? "txr_big" : "999999999"));
                break;
            default:
                if (leaf.Contains("currency")) yield return JsonValue.Create("eur");
                else if (p.Enum is { Count: > 0 } values) foreach (var v in values) yield return JsonValue.Create(v);
                else if (leaf.Contains("decimal") || leaf.Contains("amount")) yield return JsonValue.Create("900000000.5");
                else yield return JsonValue.Create(leaf is "price" or "plan" ? "price_big" : leaf.Contains("shipping_rate") ? "shr_big" : "x999999999");
                break;
        }
    }

    /// <summary>The parameter at a path of the operation (the file's path grammar).</summary>
    private static ApiParameter? Find(ApiOperation op, string path)
    {
        IReadOnlyList<ApiParameter> level = op.Parameters;
        ApiParameter? found = null;
        foreach (var raw in path.Split('.'))
        {
            var name = raw.EndsWith("[]", StringComparison.Ordinal) ? raw[..^2] : raw;
            found = level.FirstOrDefault(p => p.Name == name);
            if (found is null) return null;
            var inner = found.Type == "array" && raw.EndsWith("[]", StringComparison.Ordinal) ? found.Items! : found;
            if (raw.EndsWith("[]", StringComparison.Ordinal) && inner.Type != "object") return inner;
            level = inner.Type == "anyOf" ? inner.AnyOf!.FirstOrDefault(a => a.Type == "object")?.Properties ?? [] : inner.Properties ?? [];
            found = inner.Type == "object" || inner.Type == "anyOf" ? found : inner;
        }
        return found?.Type == "anyOf" ? found.AnyOf!.FirstOrDefault(a => a.Type != "object") ?? found : found;
    }

    /// <summary>Whether the typed tool has this parameter path.</summary>
    private static bool Has(ToolDefinition t, string path)
    {
        IReadOnlyList<Param> level = t.Params;
        foreach (var raw in path.Split('.'))
        {
            var name = raw.EndsWith("[]", StringComparison.Ordinal) ? raw[..^2] : raw;
            var p = level.FirstOrDefault(x => x.Name == name);
            switch (p)
            {
                case null: return false;
                case ArrayParam { Item: ObjectParam o }: level = o.Fields; break;
                case ObjectParam o: level = o.Fields; break;
                default: level = []; break;
            }
        }
        return true;
    }

    /// <summary>Puts <paramref name="value"/> at the path, in the first item of a list (made if missing).</summary>
    private static void Set(JsonObject args, string path, JsonNode? value)
    {
        var parts = path.Split('.');
        JsonObject at = args;
        for (var i = 0; i < parts.Length; i++)
        {
            var last = i == parts.Length - 1;
            var list = parts[i].EndsWith("[]", StringComparison.Ordinal);
            var name = list ? parts[i][..^2] : parts[i];
            if (last)
            {
                at[name] = list ? value is JsonArray ? value : new JsonArray(value) : value;
                return;
            }
            if (list)
            {
                if (at[name] is not JsonArray array || array.Count == 0) at[name] = array = [new JsonObject()];
                if (array[0] is not JsonObject first) array[0] = first = [];
                at = first;
            }
            else
            {
                if (at[name] is not JsonObject next) at[name] = next = [];
                at = next;
            }
        }
    }
}
