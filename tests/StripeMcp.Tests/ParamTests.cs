using System.Text.Json;
using StripeMcp.Stripe;

namespace StripeMcp.Tests;

public sealed class ParamTests
{
    private static List<string> Check(Param p, string json)
    {
        var problems = new List<string>();
        p.Validate(JsonDocument.Parse(json).RootElement, p.Name, problems);
        return problems;
    }

    [Fact]
    public void Maps_of_objects_and_decimal_strings_are_read_as_Stripe_takes_them()
    {
        // Outside attack (low): the generic catalog called currency_options a map of strings and unit_amount_decimal a
        // number, refusing the calls Stripe accepts: {"eur": {"unit_amount": 900}} and "12.5".
        var prices = StripeMcp.Api.ApiDefinitions.For(StripeMcp.Api.ApiCatalog.Find("PostPrices")!);
        var options = Assert.IsType<MapParam>(prices.Params.Single(p => p.Name == "currency_options"));
        Assert.Empty(Check(options, """{"eur": {"unit_amount": 900}}"""));
        Assert.Contains(Check(options, """{"eur": "900"}"""), p => p.StartsWith("currency_options.eur: must be an object", StringComparison.Ordinal));
        Assert.Contains(Check(options, """{"e[u]r": {}}"""), p => p.Contains("must be 1-100 characters without '['", StringComparison.Ordinal));
        var decimalAmount = Assert.IsType<DecimalParam>(prices.Params.Single(p => p.Name == "unit_amount_decimal"));
        Assert.Empty(Check(decimalAmount, "\"12.5\""));
        Assert.Empty(Check(decimalAmount, "12.5"));
        Assert.Contains(Check(decimalAmount, "\"12,5\""), p => p.StartsWith("unit_amount_decimal: must be a decimal string", StringComparison.Ordinal));
        Assert.IsType<MetadataParam>(prices.Params.Single(p => p.Name == "metadata"));
    }

    [Theory]
    [InlineData("cus_", "cus_NffrFeUfNV2Hib", true)]
    [InlineData("pm_", "pm_card_visa", true)]
    [InlineData("ch_", "py_1Nabc", true)]          // ACH payments are charges too
    [InlineData("", "SUMMER-25", true)]            // a coupon code of one's own
    [InlineData("cus_", "cus_", false)]            // a prefix alone is no id
    [InlineData("cus_", "sub_123", false)]         // the wrong kind of object
    [InlineData("cus_", "cus_1/refunds", false)]
    [InlineData("cus_", ".", false)]
    [InlineData("", ".", false)]
    [InlineData("", "..", false)]
    [InlineData("", "SUMMER-25.v2", false)]        // no dots at all, not only no ".."
    [InlineData("cus_", "cus_a b", false)]
    [InlineData("cus_", "cus_a?b", false)]
    [InlineData("cus_", "cus_a#b", false)]
    [InlineData("cus_", "cus_a%2Fb", false)]
    [InlineData("cus_", "cus_a-b", false)]         // '-' only where there is no fixed prefix
    [InlineData("cus_", "cus_\uFF41", false)]     // a fullwidth letter is not an ASCII letter
    [InlineData("cus_", "cus_a\n", false)]
    [InlineData("", "", false)]
    public void Ids_follow_stripes_grammar_by_a_positive_rule(string prefix, string id, bool ok) =>
        Assert.Equal(ok, new IdParam("x", "", Prefix: prefix).IsValid(id));

    [Fact]
    public void A_long_id_is_refused()
    {
        Assert.True(new IdParam("x", "", Prefix: "cus_").IsValid("cus_" + new string('a', 251)));
        Assert.False(new IdParam("x", "", Prefix: "cus_").IsValid("cus_" + new string('a', 252)));
    }

    [Theory]
    [InlineData("/v1/customers/{customer}", "/v1/customers/cus_1", true)]
    [InlineData("/v1/customers/{customer}", "/v1/customers/", false)]
    [InlineData("/v1/customers/{customer}", "/v1/customers/.", false)]
    [InlineData("/v1/customers/{customer}", "/v1/customers/%2E", false)]
    [InlineData("/v1/customers/{customer}", "/v1/customers/cus_1/refunds", false)]
    [InlineData("/v1/payment_intents/{payment_intent}/confirm", "/v1/payment_intents/pi_1/confirm", true)]
    [InlineData("/v1/payment_intents/{payment_intent}/confirm", "/v1/payment_intents/pi_1/capture", false)]
    [InlineData("/v1/customers", "/v1/customers", true)]
    public void The_gateway_sends_only_paths_of_the_rows_shape(string template, string path, bool ok) =>
        Assert.Equal(ok, StripeGateway.PathProblem(template, path) is null);

    [Fact]
    public void Integers_reject_fractions_strings_and_out_of_range()
    {
        var amount = new IntParam("amount", "x", Minimum: 1, Maximum: 100);
        Assert.Empty(Check(amount, "5"));
        Assert.Equal(["amount: must be a whole number from 1 to 100, got a number 5.5"], Check(amount, "5.5"));
        Assert.Equal(["amount: must be a whole number from 1 to 100, got a string \"5\""], Check(amount, "\"5\""));
        Assert.Equal(["amount: must be a whole number from 1 to 100, got 0"], Check(amount, "0"));
        Assert.Equal(["amount: must be a whole number from 1 to 100, got 101"], Check(amount, "101"));
    }

    [Fact]
    public void Metadata_limits()
    {
        var m = new MetadataParam();
        Assert.Empty(Check(m, """{"a":"b"}"""));
        Assert.Contains("metadata: key \"a[b]\" must be 1-40 characters without '[' or ']'", Check(m, """{"a[b]":"c"}"""));
        Assert.Contains("metadata.a: must be at most 500 characters", Check(m, $$"""{"a":"{{new string('x', 501)}}"}"""));
    }

    [Fact]
    public void Every_schema_property_has_a_description_and_required_names_exist()
    {
        foreach (var tool in ToolCatalog.All)
        {
            var schema = tool.InputSchema();
            Assert.Equal("object", schema["type"]!.GetValue<string>());
            Assert.False(schema["additionalProperties"]!.GetValue<bool>());
            AssertDescribed(tool.Name, schema);
            foreach (var required in schema["required"]?.AsArray() ?? [])
                Assert.NotNull(schema["properties"]![required!.GetValue<string>()]);
            foreach (var path in tool.PathParams)
                Assert.Contains(tool.Params, p => p.Name == path && p.Required && p is IdParam);
        }
    }

    /// <summary>
    /// The published schema is the strict one (every rule the server checks, what the adversarial tests break)
    /// less only lengths, metadata's key count and the part of an id's pattern after its prefix: nothing an
    /// agent could send passes the server's check that the published schema says is wrong.
    /// </summary>
    [Fact]
    public void The_published_schema_is_the_strict_one_less_lengths_and_the_tail_of_id_patterns()
    {
        foreach (var tool in ToolCatalog.All)
            Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(Relaxed(tool.InputSchema(strict: true)), tool.InputSchema()), tool.Name);
        Assert.Contains(ToolCatalog.All, t => t.InputSchema(strict: true).ToJsonString().Contains("\"maxLength\""));
    }

    private static System.Text.Json.Nodes.JsonNode? Relaxed(System.Text.Json.Nodes.JsonNode? node)
    {
        if (node is not System.Text.Json.Nodes.JsonObject o) return node is System.Text.Json.Nodes.JsonArray a ? new System.Text.Json.Nodes.JsonArray([.. a.Select(Relaxed)]) : node?.DeepClone();
        var copy = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in o)
        {
            if (key is "maxLength" or "maxProperties") continue;
            if (key == "pattern" && o["type"]?.GetValue<string>() == "string" && value is not null)
            {
                var m = System.Text.RegularExpressions.Regex.Match(value.GetValue<string>(), @"^\^\(\?:([a-z_|]+)\)\[A-Za-z0-9_\]\+\$$");
                if (m.Success) copy[key] = m.Groups[1].Value.Contains('|') ? $"^({m.Groups[1].Value})" : "^" + m.Groups[1].Value;
                else Assert.Equal("^[A-Za-z0-9_-]{1,255}$", value.GetValue<string>()); // a prefix-less id publishes no pattern
                continue;
            }
            copy[key] = Relaxed(value);
        }
        return copy;
    }

    /// <summary>Arguments every list, search or write tool has alike: the server's instructions describe them, once.</summary>
    private static readonly string[] SaidOnce = ["limit", "starting_after", "ending_before", "page", "metadata", "idempotency_key", "currency"];

    [Fact]
    public void The_instructions_describe_the_arguments_that_go_without_a_description()
    {
        var instructions = Instructions.For(new ServerOptions());
        Assert.All(SaidOnce, name => Assert.Contains(name, instructions));
        Assert.Contains("smallest unit (1000 = $10.00 usd", instructions);
        Assert.Contains("pattern is its prefix", instructions);
    }

    /// <summary>
    /// Every argument has a description, but those said once in the instructions, ids whose published prefix is
    /// all there is to say, and enumerations whose values are.
    /// </summary>
    private static void AssertDescribed(string where, System.Text.Json.Nodes.JsonObject schema)
    {
        foreach (var (name, prop) in schema["properties"]?.AsObject() ?? [])
        {
            var description = prop!["description"]?.GetValue<string>();
            var speaksForItself = SaidOnce.Contains(name) || prop["pattern"] is not null || prop["enum"] is not null;
            Assert.False(description is null ? !speaksForItself : string.IsNullOrWhiteSpace(description), $"{where}.{name} has no description");
            if (prop["properties"] is not null) AssertDescribed($"{where}.{name}", prop.AsObject());
            if (prop["items"]?["properties"] is not null) AssertDescribed($"{where}.{name}[]", prop["items"]!.AsObject());
        }
    }
}
