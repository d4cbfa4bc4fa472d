using System.Diagnostics;
using System.Text.Json;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>The executable's commands as an operator runs them: exit codes, stdout, stderr.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task Tools_json_lists_name_title_permission_and_every_annotation()
    {
        var run = await Commands.RunAsync("tools", "--tools", "refunds.create,balance.read", "--json");
        Assert.Equal(0, run.ExitCode);
        var tools = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToList();
        // The typed tools, then the surface tools (balance.read has operations no typed tool makes: the generic read path).
        Assert.Equal(["retrieve_balance", "list_balance_transactions", "create_refund", "stripe_api_search", "stripe_api_details", "stripe_api_read"], tools.Select(t => t.GetProperty("name").GetString()));
        var refund = tools[2];
        Assert.Equal("payments", refund.GetProperty("toolset").GetString());
        Assert.True(refund.GetProperty("enabled").GetBoolean());
        Assert.Equal("refunds.create", refund.GetProperty("permission").GetString());
        Assert.Equal("Create refund", refund.GetProperty("title").GetString());
        var a = refund.GetProperty("annotations");
        Assert.False(a.GetProperty("readOnlyHint").GetBoolean());
        Assert.False(a.GetProperty("destructiveHint").GetBoolean());
        Assert.False(a.GetProperty("idempotentHint").GetBoolean());
        Assert.True(a.GetProperty("openWorldHint").GetBoolean());
    }

    [Fact]
    public async Task Tools_table_shows_what_a_config_file_exposes()
    {
        var config = TestFiles.Config("""{ "actions": { "subscriptions": { "read": true, "update": true } }, "tools": { "deny": ["update_subscription"] } }""");
        var run = await Commands.RunAsync("tools", "--config", config);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"list_subscriptions\s+subscriptions\.read\s+read-only, idempotent", run.Stdout);
        Assert.Matches(@"cancel_subscription\s+subscriptions\.update\s+destructive", run.Stdout);
        Assert.DoesNotContain("update_subscription", run.Stdout);
        Assert.Matches(@"stripe_api_write\s+\(each operation's own\)\s+writes", run.Stdout);
        Assert.Contains($"9 of {ToolCatalog.All.Count + Inventory.Surface.Count} tools enabled", run.Stdout);
    }

    [Fact]
    public async Task Config_validate_prints_ok_for_a_good_file()
    {
        var config = TestFiles.Config("""{ "actions": { "customers": { "read": true } }, "context": { "account": "acct_123" } }""");
        var run = await Commands.RunAsync("config", "validate", "--config", config, "--api-key", TestServer.TestKey);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok", run.Stdout.Trim());
    }

    [Fact]
    public async Task Config_validate_prints_every_problem_with_its_place_and_a_suggestion()
    {
        var config = TestFiles.Config("""
            {
              "actions": { "paymentLink": { "create": true }, "customers": { "raed": true, "create": "yes" } },
              "context": { "account": "acct-123" },
              "tools": { "deny": ["create_refnd"] },
              "toolz": {}
            }
            """);
        var run = await Commands.RunAsync("config", "validate", "--config", config, "--api-key", TestServer.TestKey);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("$.actions.paymentLink: unknown resource \"paymentLink\" (did you mean \"paymentLinks\"?)", run.Stderr);
        Assert.Contains("$.actions.customers.raed: unknown action \"raed\" (did you mean \"read\"?)", run.Stderr);
        Assert.Contains("$.actions.customers.create: must be true or false", run.Stderr);
        Assert.Contains("$.context.account: \"acct-123\" is not a Stripe account id", run.Stderr);
        Assert.Contains("$.tools.deny[0]: unknown tool \"create_refnd\" (did you mean \"create_refund\"?)", run.Stderr);
        Assert.Contains("$.toolz: unknown key (did you mean \"tools\"?)", run.Stderr);
        Assert.Contains("6 problem(s)", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Serve_refuses_to_start_half_configured_with_exit_code_2()
    {
        var notJson = TestFiles.Config("{ \"actions\": ");
        var run = await Commands.RunAsync("--config", notJson, "--api-key", TestServer.TestKey);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("not valid JSON at line 1", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("sk_test_abc/def", "--api-key: not a Stripe secret or restricted key")]
    [InlineData("pk_test_abcdef", "a publishable key")]
    [InlineData("sk_prod_abcdef", "expected sk_test_…, rk_test_…, sk_live_… or rk_live_…")]
    public async Task A_malformed_key_fails_start_up_without_echoing_it(string key, string expected)
    {
        var run = await Commands.RunAsync("--api-key", key, "--tools", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("abcdef", run.Stderr);
    }

    [Fact]
    public async Task Serve_without_a_key_says_where_to_put_one()
    {
        var run = await Commands.RunAsync("serve", "--tools", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("STRIPE_SECRET_KEY", run.Stderr);
    }

    [Fact]
    public async Task Bad_account_flag_and_api_base_are_reported_together()
    {
        var run = await Commands.RunAsync("tools", "--stripe-account", "acct_1/../x", "--stripe-api-base", "ftp://x", "--log-level", "loud");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--stripe-account:", run.Stderr);
        Assert.Contains("--stripe-api-base: \"ftp://x\" is not an http(s) base URL", run.Stderr);
        Assert.Contains("--log-level: unknown level \"loud\"", run.Stderr);
    }

    [Fact]
    public async Task Version_and_help()
    {
        var version = await Commands.RunAsync("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());
        var help = await Commands.RunAsync("tools", "--help");
        Assert.Contains("--json", help.Stdout);
        Assert.Contains("--tools", help.Stdout);
    }

    /// <summary>A limit or confirmation on a tool the config does not enable is said, with what would make it apply.</summary>
    [Fact]
    public async Task Config_validate_names_rules_that_cover_no_enabled_tool()
    {
        var config = TestFiles.Config("""{ "actions": { "customers": { "read": true }, "refunds": { "create": false } }, "limits": { "refunds": { "maxAmount": { "usd": 100 } } }, "confirm": { "create_refund": "on" } }""");
        var run = await Commands.RunAsync(["config", "validate", "--config", config, "--api-key", "sk_test_idle"], null);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("ok", run.Stdout.Trim());
        Assert.Contains("note: limits.refunds: covers no enabled tool; it applies once refunds.create is enabled", run.Stderr);
        Assert.Contains("note: confirm.create_refund: create_refund is not enabled; it applies once refunds.create is enabled", run.Stderr);
        var covered = await Commands.RunAsync(["config", "validate", "--config", config, "--api-key", "sk_test_idle", "--tools", "refunds.create"], null);
        Assert.DoesNotContain("note:", covered.Stderr);
    }
}
