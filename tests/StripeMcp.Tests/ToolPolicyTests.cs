namespace StripeMcp.Tests;

public sealed class ToolPolicyTests
{
    private static IReadOnlyList<string> Enabled(ServerOptions o) => ToolPolicy.Enabled(o).Select(t => t.Name).ToList();

    [Fact]
    public void Nothing_allowed_means_nothing_enabled() => Assert.Empty(Enabled(new ServerOptions()));

    [Fact]
    public void A_typed_tool_allowed_by_name_is_that_tool_only_never_its_whole_operation()
    {
        // Outside attack: tools.allow ["pause_subscription"] enabled PostSubscriptionsSubscription on the generic path, whose
        // every parameter (items, quantities) a compact server then accepted: any subscription update, billed at once.
        var options = new ServerOptions { AllowTools = new HashSet<string> { "pause_subscription" } };
        Assert.Contains("pause_subscription", Enabled(options));
        var update = StripeMcp.Api.ApiCatalog.Find("PostSubscriptionsSubscription")!;
        Assert.False(ToolPolicy.IsEnabled(update, options));
        Assert.True(ToolPolicy.IsEnabled(update, options with { Permissions = new HashSet<string> { update.Permission } }));
    }

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
