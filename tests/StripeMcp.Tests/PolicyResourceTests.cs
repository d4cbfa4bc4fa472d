using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>stripe-mcp://policy and the guides, through the MCP client.</summary>
public sealed class PolicyResourceTests
{
    private static async Task<JsonNode> Read(TestServer s, string uri) =>
        JsonNode.Parse(Assert.IsType<TextResourceContents>(Assert.Single((await s.Client.ReadResourceAsync(uri)).Contents)).Text)!;

    [Fact]
    public async Task The_policy_lists_what_tools_json_lists_and_the_limits_left_after_a_call()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var config = TestFiles.Config("""
            { "toolsets": ["payments"], "tools": { "deny": ["cancel_payment_intent"] }, "confirm": { "create_refund": "off", "capture_payment_intent": "on" },
              "limits": { "currencies": ["usd", "eur"], "refunds": { "maxAmount": { "usd": 5000 }, "maxTotal": { "usd": 10000 }, "window": "24h" } } }
            """);
        await using var s = await TestServer.StartAsync(["--api-key", "sk_test_policy", "--stripe-api-base", sandbox.BaseUrl, "--config", config]);
        var before = await Read(s, "stripe-mcp://policy");

        var cli = await Commands.RunAsync(["tools", "--json", "--config", config, "--api-key", "sk_test_policy"], null);
        Assert.Equal(0, cli.ExitCode);
        var listed = JsonNode.Parse(cli.Stdout)!.AsArray().Where(t => t!["enabled"]!.GetValue<bool>()).Select(t => t!.ToJsonString());
        Assert.Equal(listed, before["tools"]!.AsArray().Select(t => t!.ToJsonString()));
        Assert.DoesNotContain(before["tools"]!.AsArray(), t => t!["name"]!.GetValue<string>() == "cancel_payment_intent");
        var confirm = before["confirm"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        Assert.Contains("capture_payment_intent", confirm); // turned on
        Assert.Contains("close_dispute", confirm);          // destructive: asks by default
        Assert.DoesNotContain("create_refund", confirm);     // turned off
        Assert.Equal("test", before["mode"]!.GetValue<string>());
        Assert.Equal(["eur", "usd"], before["limits"]!["currencies"]!.AsArray().Select(c => c!.GetValue<string>()));
        var rule = before["limits"]!["rules"]![0]!;
        Assert.Equal("refunds", rule["key"]!.GetValue<string>());
        Assert.Contains("create_refund", rule["tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(86400, rule["window_seconds"]!.GetValue<long>());
        Assert.Equal(10000, rule["totals"]!["usd"]!["left"]!.GetValue<long>());

        var pi = sandbox.Execute("POST", "/v1/payment_intents", "amount=20000&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();
        var refund = await s.CallAsync("create_refund", $$"""{"payment_intent":"{{pi}}","amount":2500}""");
        Assert.True(refund.IsError != true, refund.Text());
        var after = (await Read(s, "stripe-mcp://policy"))["limits"]!["rules"]![0]!["totals"]!["usd"]!;
        Assert.Equal(2500, after["used"]!.GetValue<long>());
        Assert.Equal(7500, after["left"]!.GetValue<long>());

        // A caller without refund tools is not told the refund totals.
        await using var docs = await TestServer.StartAsync(["--api-key", "sk_test_policy", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--toolsets", "docs"]);
        Assert.Empty((await Read(docs, "stripe-mcp://policy"))["limits"]!["rules"]!.AsArray());
    }

    [Fact]
    public async Task Guides_are_listed_readable_and_name_only_real_tools()
    {
        await using var s = await TestServer.StartAsync(["--sandbox", "--tools", "customers.read"]);
        var guides = (await s.Client.ListResourcesAsync()).Where(r => r.Uri.StartsWith("stripe-mcp://guides/")).ToList();
        Assert.Equal(["amounts", "connect", "errors", "idempotency", "pagination-search", "payments", "refunds-disputes", "subscriptions", "test-cards", "webhooks"],
            guides.Select(g => g.Uri["stripe-mcp://guides/".Length..]));
        var text = Assert.IsType<TextResourceContents>(Assert.Single((await s.Client.ReadResourceAsync("stripe-mcp://guides/amounts")).Contents));
        Assert.Equal("text/markdown", text.MimeType);
        Assert.Contains("smallest unit", text.Text);
        await Assert.ThrowsAsync<McpProtocolException>(() => s.Client.ReadResourceAsync("stripe-mcp://guides/../policy").AsTask());
        await Assert.ThrowsAsync<McpProtocolException>(() => s.Client.ReadResourceAsync("stripe-mcp://guides/nope").AsTask());

        // Every tool a guide names is one of ours.
        foreach (var guide in StripeMcp.Docs.Guides.All)
            foreach (var name in System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(guide.Text, "`[^`]*`", ""), @"\b(?:create|list|retrieve|update|delete|cancel|capture|confirm|pay|search|advance|close)_[a-z_]+\b").Select(m => m.Value))
                Assert.True(ToolCatalog.Find(name) is not null || name == "list_received_events", $"{guide.Topic} names {name}, which is no tool");
    }
}
