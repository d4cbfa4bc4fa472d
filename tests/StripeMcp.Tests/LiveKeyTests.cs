using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class LiveKeyTests
{
    [Fact]
    public async Task A_live_key_is_refused_without_allow_live_and_says_why()
    {
        var run = await Commands.RunAsync("--api-key", "rk_live_abcdef123456", "--tools", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("live key (rk_live_…)", run.Stderr);
        Assert.Contains("--allow-live", run.Stderr);
        Assert.Contains("restricted key", run.Stderr);
        Assert.DoesNotContain("abcdef123456", run.Stderr);
    }

    [Fact]
    public async Task With_allow_live_the_start_up_line_names_live_mode_and_the_tool_count_and_sk_keys_get_advice()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", "sk_live_abcdef123456", "--allow-live", "--stripe-api-base", stripe.BaseUrl, "--toolsets", "customers"]);
        var listed = (await server.Client.ListToolsAsync()).Count;
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("LIVE mode (sk_live_…)") && l.Contains($"{listed} tools enabled")));
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("Prefer a restricted key (rk_…)")));
        Assert.DoesNotContain(server.Stderr, l => l.Contains("abcdef123456"));
    }
}
