using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

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
