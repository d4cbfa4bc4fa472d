using StripeMcp.Tests.Support;

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
    public void Compact_comes_from_the_flag_or_the_file_and_anything_but_a_boolean_is_a_named_problem()
    {
        Assert.False(Load(new() { Tools = "all" }).Options.Compact);
        Assert.True(Load(new() { Tools = "all", Compact = true }).Options.Compact);
        var file = Load(new() { Config = TestFiles.Config("""{ "actions": { "customers": { "read": true } }, "compact": true }""") });
        Assert.True(file.Ok, string.Join("\n", file.Problems));
        Assert.True(file.Options.Compact);
        var wrong = Load(new() { Config = TestFiles.Config("""{ "compact": "yes" }""") });
        Assert.Single(wrong.Problems, p => p.EndsWith("$.compact: must be true or false"));
        Assert.Contains(Load(new() { Config = TestFiles.Config("""{ "compcat": true }""") }).Problems, p => p.Contains("$.compcat: unknown key (did you mean \"compact\"?)"));
    }

    [Fact]
    public void Compact_refuses_typed_tools_allowed_by_name_which_it_would_open_whole()
    {
        // Outside attack: compact with tools.allow ["pause_subscription"] let stripe_api_write make any subscription update.
        var config = TestFiles.Config("""{ "compact": true, "tools": { "allow": ["retrieve_balance", "pause_subscription"] } }""");
        var refused = Load(new() { Config = config });
        Assert.Single(refused.Problems, p => p.StartsWith("compact: tools.allow names typed tools (pause_subscription, retrieve_balance)", StringComparison.Ordinal)
            && p.Contains("(subscriptions.update, balance.read)", StringComparison.Ordinal));
        Assert.True(Load(new() { Config = TestFiles.Config("""{ "tools": { "allow": ["pause_subscription"] } }""") }).Ok);
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

    [Fact]
    public void An_audit_log_that_cannot_be_written_is_a_problem_named_for_where_it_was_given()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"stripe-mcp-audit-{Guid.NewGuid():N}");
        Assert.DoesNotContain(Load(new() { AuditLog = Path.Combine(folder, "new", "audit.log") }).Problems, p => p.Contains("audit")); // made when the server starts
        Assert.False(Directory.Exists(folder)); // checked, not created
        Directory.CreateDirectory(folder);
        Assert.Contains(Load(new() { AuditLog = folder }).Problems, p => p.StartsWith("--audit-log: ") && p.Contains("is a folder"));
        var file = Path.Combine(folder, "a-file");
        File.WriteAllText(file, "");
        var config = TestFiles.Config($$"""{ "audit": { "path": {{System.Text.Json.JsonSerializer.Serialize(Path.Combine(file, "a.log"))}} } }""");
        Assert.Contains(Load(new() { Config = config }).Problems, p => p.StartsWith("audit.path: ") && p.Contains("is a file"));
        Assert.Contains("cannot be written", OptionsLoader.OpenAuditLog(Path.Combine(file, "a.log")));
        Assert.Null(OptionsLoader.OpenAuditLog(Path.Combine(folder, "new", "audit.log")));
    }
}
