using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Tools;
using StripeMcp.Pipeline;
using StripeMcp.Policy;

namespace StripeMcp.Hosting;

/// <summary>What the operator sees on stderr when the server starts: mode, account, what is enabled.</summary>
internal static class StartupReport
{
    /// <param name="published">Every tool a caller with the server's own policy is given (typed and surface tools alike).</param>
    public static void Log(ILogger log, ServerOptions o, IReadOnlyList<EngineTool> published, SandboxHost? sandbox = null)
    {
        // The typed rows among them; in compact mode none is published, and the enabled ones are reached through the generic tools.
        var enabled = o.Compact ? ToolPolicy.Enabled(o) : published.OfType<TypedTool>().Select(t => t.Definition).ToList();
        var mode = o.ApiKey switch
        {
            null => "no key",
            _ when o.Sandbox => "SANDBOX mode",
            var k when k.Contains("_live_", StringComparison.Ordinal) => "LIVE mode",
            _ => "test mode",
        };
        log.LogInformation("stripe-mcp {Version}: {Mode} ({KeyPrefix}_…), API base {ApiBase}, account {Account}, {Count} tools enabled from {Source}{ReadOnly}{Compact}",
            ThisAssembly.Version, mode, Redactor.KeyPrefix(o.ApiKey), o.ApiBase, o.Account ?? "(platform)", published.Count, o.AllowListSource,
            o.ReadOnly ? " (read-only)" : "", o.Compact ? $" (compact: {enabled.Count} typed tools' operations through the generic tools)" : "");
        if (o.ApiKey?.StartsWith("sk_", StringComparison.Ordinal) == true && !o.Sandbox)
            log.LogWarning("This is a secret key (sk_…), which can do anything in the account. Prefer a restricted key (rk_…) that allows only what the enabled tools need.");
        if (sandbox?.UnknownAccounts(o) is { Count: > 0 } unknown)
            log.LogWarning("The sandbox has no connected account {Accounts} (configured in context.account / context.accounts / --stripe-account), so calls on behalf of it will fail with Stripe's 403. Drop the account for the sandbox, or create one first with create_connected_account and use its id.", string.Join(", ", unknown));
        if (o.DryRun)
            log.LogWarning("Dry run: mutating tools return the request they would send and send nothing.");
        if (o.Limits.Rules.Count > 0 && enabled.Where(t => t.Money is not null && o.Limits.For(t).Count == 0).Select(t => t.Name).ToList() is { Count: > 0 } uncovered)
            log.LogWarning("Limits are configured, but no limit covers these enabled tools that move money: {Tools}. Add a rule for their resource (see the limits table in docs/tools.md) or deny them.", string.Join(", ", uncovered));
        foreach (var idle in ToolPolicy.IdleRules(o))
            log.LogWarning("Config rule that applies to nothing here: {Rule}.", idle);
        if (published.Count == 0)
            log.LogWarning("No tools are enabled, so agents will see an empty tool list. Enable some with --tools (e.g. --tools customers.read,refunds.create or --tools all) or with \"actions\" in the config file.");
        else
            log.LogDebug("Enabled tools: {Tools}", string.Join(", ", published.Select(t => t.Listing.Name)));
    }
}
