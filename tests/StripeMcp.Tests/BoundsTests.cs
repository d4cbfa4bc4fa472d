using Microsoft.Extensions.Logging.Abstractions;
using StripeMcp.Resources;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Every input an attacker controls is bounded: subscription slots per caller, search queries.</summary>
public sealed class BoundsTests
{
    [Fact]
    public async Task One_caller_cannot_hold_every_events_subscription_slot()
    {
        await using var feed = EventFeed.FromReceiver(NullLogger.Instance);
        var held = Enumerable.Range(0, EventFeed.MaxPerCaller).Select(_ => feed.Listen(new object(), _ => Task.CompletedTask, "token-a")).ToList();
        Assert.All(held, h => Assert.NotNull(h));
        Assert.Null(feed.Listen(new object(), _ => Task.CompletedTask, "token-a"));
        Assert.NotNull(feed.Listen(new object(), _ => Task.CompletedTask, "token-b"));
        held[0]!.Dispose();
        Assert.NotNull(feed.Listen(new object(), _ => Task.CompletedTask, "token-a"));
    }

    [Fact]
    public void An_api_base_carrying_credentials_is_refused_without_echoing_them()
    {
        var result = StripeMcp.Configuration.OptionsLoader.Load(new StripeMcp.Configuration.CommandLineInputs { StripeApiBase = "http://user:s3cretpw@127.0.0.1:12200/", ApiKey = "sk_test_x" }, _ => null);
        var problem = Assert.Single(result.Problems, p => p.Contains("--stripe-api-base"));
        Assert.Contains("must not carry credentials", problem);
        Assert.DoesNotContain("s3cretpw", problem);
    }

    [Fact]
    public async Task A_huge_operation_search_is_refused_by_its_length()
    {
        await using var s = await TestServer.StartAsync(["--sandbox", "--toolsets", "all"]);
        var result = await s.Client.CallToolAsync("stripe_api_search", new Dictionary<string, object?> { ["query"] = new string('a', 2 * 1024 * 1024) });
        Assert.True(result.IsError);
        Assert.Contains("query: must be at most 500 characters", result.Text());
    }
}
