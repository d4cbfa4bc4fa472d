using StripeMcp.Tests.Support;
using System.Text.Json;
using StripeMcp.Configuration;
using StripeMcp.Stripe;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

public sealed class OptionsLoaderTests
{
    private static OptionsLoader.Result Load(CommandLineInputs cli, Dictionary<string, string>? env = null) =>
        OptionsLoader.Load(cli, name => env?.GetValueOrDefault(name));


    [Fact]
    public void Tools_keys_merge_and_accept_snake_case()
    {
        var r = Load(new() { Tools = "customers.create, customers.read,payment_links.create" });
        Assert.True(r.Ok, string.Join("\n", r.Problems));
        Assert.Equal(["customers.create", "customers.read", "paymentLinks.create"], r.Options.Permissions.Order());
    }

    [Fact]
    public void All_enables_every_permission()
    {
        var r = Load(new() { Tools = "all" });
        Assert.Equal(Api.ApiPermissions.All.Order(), r.Options.Permissions.Order());
        Assert.True(r.Options.Permissions.IsSupersetOf(ToolCatalog.All.Select(t => t.Permission)));
        Assert.Contains("quotes.create", r.Options.Permissions);
    }

    [Theory]
    [InlineData("paymentLink.create", "--tools \"paymentLink.create\": unknown resource \"paymentLink\" (did you mean \"paymentLinks\"?)")]
    [InlineData("customers.write", "unknown action \"write\"")]
    [InlineData("balance.create", "resource \"balance\" has no \"create\" tools; it has: read")]
    [InlineData("customers", "\"customers\" is not a resource.action key")]
    [InlineData("list_customers", "(\"list_customers\" is a tool; its key is customers.read)")]
    [InlineData(",", "--tools: empty")]
    public void Tools_flag_problems_name_the_item(string tools, string expected)
    {
        var r = Load(new() { Tools = tools });
        Assert.Contains(r.Problems, p => p.Contains(expected));
    }

    [Fact]
    public void Flags_override_environment_which_overrides_the_file()
    {
        var file = TestFiles.Config("""{ "context": { "account": "acct_file" }, "actions": { "customers": { "read": true } } }""");
        var env = new Dictionary<string, string> { ["STRIPE_MCP_CONFIG"] = file, ["STRIPE_API_BASE"] = "http://127.0.0.1:9/", ["STRIPE_SECRET_KEY"] = "rk_test_env" };

        var fromEnv = Load(new(), env);
        Assert.True(fromEnv.Ok, string.Join("\n", fromEnv.Problems));
        Assert.Equal("acct_file", fromEnv.Options.Account);
        Assert.Equal("http://127.0.0.1:9", fromEnv.Options.ApiBase);
        Assert.Equal("rk_test_env", fromEnv.Options.ApiKey);
        Assert.Equal(["customers.read"], fromEnv.Options.Permissions);
        Assert.Equal("config file", fromEnv.Options.AllowListSource);

        var fromFlags = Load(new() { StripeAccount = "acct_flag", StripeApiBase = "http://localhost:1", ApiKey = "sk_test_flag", Tools = "products.read" }, env);
        Assert.Equal("acct_flag", fromFlags.Options.Account);
        Assert.Equal("http://localhost:1", fromFlags.Options.ApiBase);
        Assert.Equal("sk_test_flag", fromFlags.Options.ApiKey);
        Assert.Equal(["products.read"], fromFlags.Options.Permissions);
    }

    [Fact]
    public void The_key_is_never_read_from_the_file()
    {
        var r = Load(new() { Config = TestFiles.Config("""{ "apiKey": "sk_test_fromfile" }""") });
        Assert.Null(r.Options.ApiKey);
        Assert.Contains(r.Problems, p => p.Contains("$.apiKey: the API key is never read from the config file"));
        Assert.DoesNotContain(r.Problems, p => p.Contains("fromfile"));
    }

    [Theory]
    [InlineData("sk_test_123", true)]
    [InlineData("rk_test_123", true)]
    [InlineData("sk_live_123", true)]
    [InlineData("rk_live_123", true)]
    [InlineData("pk_test_123", false)]
    [InlineData("sk_123", false)]
    [InlineData("whsec_123", false)]
    [InlineData("sk_test_", false)]
    public void Key_shapes(string key, bool ok)
    {
        var r = Load(new() { ApiKey = key, AllowLive = true });
        Assert.Equal(ok, r.Ok);
        Assert.DoesNotContain(r.Problems, p => p.Contains("123")); // the value is never echoed
    }

    [Theory]
    [InlineData("a_live_")]
    [InlineData("x_live_secret")]
    public void A_malformed_key_with_live_in_it_is_one_problem_and_never_echoed(string key)
    {
        var r = Load(new() { ApiKey = key, Tools = "all" });
        Assert.Equal(["--api-key: not a Stripe secret or restricted key; expected sk_test_…, rk_test_…, sk_live_… or rk_live_… (a restricted rk_ key is recommended)"], r.Problems);
    }

    [Fact]
    public void Http_flags_without_http_are_problems_not_ignored()
    {
        var r = Load(new() { ApiKey = "sk_test_123", Tools = "all", Host = "0.0.0.0", Port = 9000, Stateful = true });
        Assert.Equal(
            ["--host: only applies with --http (stdio has no address to bind)", "--port: only applies with --http (stdio has no port)", "--stateful: only applies with --http"],
            r.Problems);
        Assert.True(Load(new() { ApiKey = "sk_test_123", Tools = "all", Http = true, Port = 9000, Stateful = true }).Ok);
    }

    /// <summary>The sandbox's ledger, keys and audit chain live in memory: a --state beside it would be ignored, so it is refused.</summary>
    [Fact]
    public void State_with_the_sandbox_is_a_problem_not_ignored()
    {
        var r = Load(new() { Sandbox = true, State = "/tmp/kept.db" });
        Assert.Equal(["--state: the sandbox keeps limits' totals, idempotency keys and the audit chain in memory, with its own objects, so nothing of a demo outlives it or counts against a real account; drop --state, or --sandbox to keep them in that file"], r.Problems);
        Assert.True(Load(new() { Sandbox = true }).Ok);
        Assert.True(Load(new() { ApiKey = "sk_test_123", Tools = "all", State = "/tmp/kept.db" }).Ok);
    }

    [Fact]
    public void Missing_file_and_wrong_shapes_are_problems_with_paths()
    {
        Assert.Contains(Load(new() { Config = "/nonexistent/mcp-config.json" }).Problems, p => p.Contains("cannot read the config file"));
        var r = Load(new() { Config = TestFiles.Config("""{ "actions": [], "tools": { "allow": "create_customer" }, "readOnly": "yes", "context": 1 }""") });
        Assert.Contains(r.Problems, p => p.EndsWith("$.actions: must be an object of resource → action → true/false, like {\"customers\": {\"read\": true}}"));
        Assert.Contains(r.Problems, p => p.Contains("$.tools.allow: must be an array of tool names"));
        Assert.Contains(r.Problems, p => p.Contains("$.readOnly: must be true or false"));
        Assert.Contains(r.Problems, p => p.Contains("$.context: must be an object with account"));
        Assert.Contains(Load(new() { Config = TestFiles.Config("[1]") }).Problems, p => p.Contains("$: must be a JSON object"));
    }

    [Fact]
    public void Comments_and_trailing_commas_are_accepted()
    {
        var r = Load(new() { Config = TestFiles.Config("{ // allow-list\n \"actions\": { \"customers\": { \"read\": true, }, }, }") });
        Assert.True(r.Ok, string.Join("\n", r.Problems));
    }

    [Fact]
    public void Retries_range()
    {
        Assert.Contains(Load(new() { MaxNetworkRetries = 11 }).Problems, p => p.Contains("--max-network-retries: must be from 0 to 10, got 11"));
        Assert.Equal(0, Load(new() { MaxNetworkRetries = 0 }).Options.MaxNetworkRetries);
    }
}

public sealed class ToolPolicyTests
{
    private static IReadOnlyList<string> Enabled(ServerOptions o) => ToolPolicy.Enabled(o).Select(t => t.Name).ToList();

    [Fact]
    public void Nothing_allowed_means_nothing_enabled() => Assert.Empty(Enabled(new ServerOptions()));

    [Fact]
    public void Permission_or_allow_enables_and_deny_and_read_only_always_win()
    {
        var o = new ServerOptions
        {
            Permissions = new HashSet<string> { "subscriptions.update", "subscriptions.read" },
            AllowTools = new HashSet<string> { "create_refund", "retrieve_balance" },
            DenyTools = new HashSet<string> { "cancel_subscription", "retrieve_balance" },
        };
        Assert.Equal(["create_refund", "list_subscriptions", "pause_subscription", "resume_subscription", "retrieve_subscription", "search_subscriptions", "update_subscription"], Enabled(o).Order());
        Assert.Equal(["list_subscriptions", "retrieve_subscription", "search_subscriptions"], Enabled(o with { ReadOnly = true }).Order());
    }
}

public sealed class ParamTests
{
    private static List<string> Check(Param p, string json)
    {
        var problems = new List<string>();
        p.Validate(JsonDocument.Parse(json).RootElement, p.Name, problems);
        return problems;
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

public sealed class FormEncoderTests
{
    [Fact]
    public void Nested_objects_arrays_booleans_and_escaping()
    {
        var json = JsonDocument.Parse("""{"a":{"b":{"c":1}},"items":[{"price":"p","quantity":2}],"flag":false,"skip":null,"s":"x&y=z"}""").RootElement;
        var form = FormEncoder.Encode(json.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)));
        Assert.Equal("a[b][c]=1&items[0][price]=p&items[0][quantity]=2&flag=false&s=x%26y%3Dz", form);
    }
}

public sealed class ResultShaperTests
{
    [Fact]
    public void Compacts_depth_first_and_keeps_falsy_values()
    {
        var shaped = ResultShaper.Shape(JsonDocument.Parse("""{"id":"x","a":null,"b":{"c":null,"d":[]},"e":0,"f":false,"g":"","h":[null,{"i":null},1],"j":"Zoë & <b>"}""").RootElement);
        Assert.Equal("""{"id":"x","e":0,"f":false,"g":"","h":[1],"j":"Zoë & <b>"}""", System.Text.Encoding.UTF8.GetString(shaped));
    }

    [Fact]
    public void Search_results_keep_their_own_next_page_and_get_no_cursor()
    {
        var shaped = JsonDocument.Parse(ResultShaper.Shape(JsonDocument.Parse("""{"object":"search_result","data":[{"id":"cus_1"}],"has_more":true,"next_page":"page_2"}""").RootElement)).RootElement;
        Assert.Equal("page_2", shaped.GetProperty("next_page").GetString());
        Assert.False(shaped.TryGetProperty("next_starting_after", out _));
    }
}

public sealed class RedactorTests
{
    [Theory]
    [InlineData("key sk_test_51Habc123 here", "key sk_test_… here")]
    [InlineData("rk_live_XYZ", "rk_live_…")]
    [InlineData("whsec_abc123", "whsec_…")]
    [InlineData("Invalid API Key provided: sk_test_****abcd", "Invalid API Key provided: sk_test_…")]
    [InlineData("sk_abcdef", "sk_…")]
    [InlineData("risk_level and task_id and sk_test_… stay", "risk_level and task_id and sk_test_… stay")]
    [InlineData("network_error, fork_test_results", "network_error, fork_test_results")]
    [InlineData("req_sk_test_51GluedKey", "req_sk_test_…")]               // glued to a word by '_'
    [InlineData("tokensk_live_0123456789abc", "tokensk_live_…")]          // glued to letters: a mode-qualified key is one anyway
    [InlineData("xwhsec_abcDEF123", "xwhsec_…")]
    public void Masks_secrets_to_their_prefix(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));
}

public sealed class ToolsetTests
{
    private static OptionsLoader.Result Load(CommandLineInputs cli) => OptionsLoader.Load(cli, _ => null);

    [Fact]
    public void Every_resource_is_in_exactly_one_toolset()
    {
        // Every typed tool's resource is in a toolset; no resource is in two; every one named exists.
        var inToolsets = ToolCatalog.Toolsets.Values.SelectMany(r => r).ToList();
        Assert.Equal(inToolsets.Count, inToolsets.Distinct().Count());
        Assert.True(inToolsets.ToHashSet().IsSupersetOf(ToolCatalog.All.Select(t => t.Resource)), "a typed tool's resource is in no toolset");
        Assert.All(inToolsets, r => Assert.True(Api.ApiPermissions.Actions.ContainsKey(r), $"toolset resource {r} has no operation"));
    }

    [Fact]
    public void A_toolset_enables_every_tool_of_its_resources_and_composes_with_tools()
    {
        var r = Load(new() { Toolsets = "catalog", Tools = "refunds.create" });
        Assert.True(r.Ok, string.Join("\n", r.Problems));
        var enabled = ToolPolicy.Enabled(r.Options).Select(t => t.Name).ToList();
        Assert.Contains("create_promotion_code", enabled);
        Assert.Contains("delete_coupon", enabled);
        Assert.Contains("create_refund", enabled);
        Assert.DoesNotContain("list_refunds", enabled);
        Assert.Equal(ToolCatalog.All.Count(t => t.Resource is "products" or "prices" or "coupons" or "promotionCodes") + 1, enabled.Count);
    }

    [Fact]
    public void Deny_and_read_only_win_over_toolsets()
    {
        var r = Load(new() { Toolsets = "all", ReadOnly = true });
        Assert.All(ToolPolicy.Enabled(r.Options), t => Assert.True(t.ReadOnly));
    }

    [Fact]
    public void Unknown_toolsets_are_named_with_a_suggestion()
    {
        Assert.Contains(Load(new() { Toolsets = "payment" }).Problems, p => p.Contains("--toolsets: unknown toolset \"payment\" (did you mean \"payments\"?)"));
    }

    [Fact]
    public void Config_accounts_list_or_star()
    {
        Assert.Equal(["*"], Load(new() { Config = TestFiles.Config("""{ "context": { "accounts": "*" } }""") }).Options.AccountAllowList!);
        var bad = Load(new() { Config = TestFiles.Config("""{ "toolsets": ["bilings"], "context": { "accounts": ["acct_1", "cus_2", 3] } }""") }).Problems;
        Assert.Contains(bad, p => p.Contains("$.toolsets[0]: unknown toolset \"bilings\" (did you mean \"billing\"?)"));
        Assert.Contains(bad, p => p.Contains("$.context.accounts[1]: \"cus_2\" is not a Stripe account id"));
        Assert.Contains(bad, p => p.Contains("$.context.accounts[2]: must be an account id string"));
        var none = Load(new() { Tools = "all" }).Options;
        Assert.Null(none.AccountAllowList);
        Assert.DoesNotContain(ToolPolicy.Enabled(none), t => t.Params.Any(p => p.Name == "account" && t.PerCallAccount));
    }
}

public sealed class LimitLedgerTests
{
    private static readonly ToolDefinition Refund = ToolCatalog.Find("create_refund")!;
    private static readonly CancellationToken None = CancellationToken.None;

    public static TheoryData<string> Stores => ["memory", "sqlite", "postgres"];

    private static async Task<State.IStateStore> Store(string kind) => kind switch
    {
        "memory" => new State.MemoryStateStore(TimeSpan.FromDays(365)),
        "sqlite" => await State.SqliteStateStore.OpenAsync(Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db"), None),
        _ => await State.PostgresStateStore.OpenAsync(await Support.PostgresServer.NewDatabaseAsync(), "test", None),
    };

    internal static Policy.LimitLedger Ledger(State.IStateStore store, TimeSpan window, Microsoft.Extensions.Time.Testing.FakeTimeProvider? clock = null) => new(new LimitSettings
    {
        Rules = [new LimitRule("refunds", new Dictionary<string, long>(), new Dictionary<string, long> { ["usd"] = 1000 }, window, null)],
    }, store, clock: clock);

    internal static Task<(Policy.LimitViolation? Violation, Policy.LimitLedger.Reservation Reservation)> Ask(Policy.LimitLedger l, long amount, bool reserve = true, string? account = null) =>
        l.CheckAsync(Refund, new Engine.Money(amount, "usd"), account, reserve, None);

    [Theory, MemberData(nameof(Stores))]
    public async Task A_released_reservation_frees_the_total_and_a_settled_one_holds_it(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        await (await Ask(ledger, 800)).Reservation.ReleaseAsync(None);
        var (v1, r1) = await Ask(ledger, 800);
        Assert.Null(v1);
        await r1.SettleAsync(None);
        Assert.Equal("limits.refunds.maxTotal.usd", (await Ask(ledger, 300, reserve: false)).Violation?.Limit);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Two_calls_in_flight_cannot_both_fit_under_a_total_and_a_pending_one_counts(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        var (first, held) = await Ask(ledger, 600);
        Assert.Null(first);
        var second = (await Ask(ledger, 600)).Violation;
        Assert.Contains("already used 600", second?.Message);
        await held.ReleaseAsync(None);
        Assert.Null((await Ask(ledger, 600)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task Totals_are_kept_per_connected_account(string kind)
    {
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1));
        Assert.Null((await Ask(ledger, 1000, account: "acct_1A")).Violation);
        Assert.NotNull((await Ask(ledger, 1, account: "acct_1A")).Violation);
        Assert.Null((await Ask(ledger, 1000, account: "acct_1B")).Violation);
        Assert.Null((await Ask(ledger, 1000)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task The_window_rolls(string kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger(await Store(kind), TimeSpan.FromHours(1), clock);
        await Ask(ledger, 1000);
        Assert.NotNull((await Ask(ledger, 1, reserve: false)).Violation);
        clock.Advance(TimeSpan.FromMinutes(61));
        Assert.Null((await Ask(ledger, 1000, reserve: false)).Violation);
    }

    [Theory, MemberData(nameof(Stores))]
    public async Task A_window_longer_than_a_month_keeps_what_was_spent_in_it(string kind)
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        var ledger = Ledger(await Store(kind), TimeSpan.FromDays(90), clock);
        await Ask(ledger, 800);
        clock.Advance(TimeSpan.FromDays(40));
        await Ask(ledger, 100);
        Assert.Equal("limits.refunds.maxTotal.usd", (await Ask(ledger, 200, reserve: false)).Violation?.Limit);
        clock.Advance(TimeSpan.FromDays(51));
        Assert.Null((await Ask(ledger, 800, reserve: false)).Violation);
    }

    [Fact]
    public async Task A_state_file_of_a_newer_schema_or_in_an_unwritable_place_is_a_clear_refusal()
    {
        var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}", "state.db");
        await State.SqliteStateStore.OpenAsync(path, None);
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            await c.OpenAsync();
            await using var cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO stripe_mcp_schema (version) VALUES (99);";
            await cmd.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var newer = await Assert.ThrowsAsync<State.StateUnavailable>(() => State.SqliteStateStore.OpenAsync(path, None));
        Assert.Contains("schema version 99", newer.Message);

        var blocked = Path.Combine(Path.GetTempPath(), $"stripe-mcp-ledger-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(blocked, "a file where the folder should be");
        var e = await Assert.ThrowsAsync<State.StateUnavailable>(() => State.SqliteStateStore.OpenAsync(Path.Combine(blocked, "state.db"), None));
        Assert.Contains(blocked, e.Message);
    }
}
