using System.Text.Json.Nodes;
using StripeMcp.Cli;
using StripeMcp.Configuration;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>docs/configuration.md's reference is generated from the schema the loader's keys are published in, to the letter.</summary>
public sealed class ConfigReferenceTests
{
    [Fact]
    public void The_configuration_page_reference_is_the_schema_rendered() =>
        DocPages.AssertSection("docs/configuration.md", "<!-- config:begin (ConfigReference.Markdown) -->", "<!-- config:end -->", ConfigReference.Markdown());

    /// <summary>Every key of the schema, at every depth, has its row: a key the walk skipped would be missing from the page.</summary>
    [Fact]
    public void Every_key_of_the_schema_has_a_row()
    {
        var reference = ConfigReference.Markdown();
        var schema = ConfigSchema.Build();
        foreach (var path in new[] { "actions", "context.account", "context.accounts", "tools.deny", "limits.currencies", "limits.<key>.maxTotal", "limits.<key>.window",
                     "confirm", "audit.includePersonalData", "state.postgres", "webhooks.secrets", "http.tokens", "http.tokens[].sha256", "http.tokens[].rateLimitPerMinute",
                     "http.oauth.issuer", "http.oauth.scopes.<key>.readOnly", "http.oauth.introspection.clientId", "http.requestTimeoutSeconds" })
            Assert.Contains($"| `{path}` |", reference);
        foreach (var key in ((JsonObject)schema["properties"]!).Select(p => p.Key))
            Assert.Contains($"| `{key}` |", reference);
        // limits' keys are one row that names each of them.
        var limits = (JsonObject)schema["properties"]!["limits"]!["properties"]!;
        var row = reference.Split('\n').Single(l => l.StartsWith("| `limits.<key>` |", StringComparison.Ordinal));
        Assert.All(limits.Where(p => p.Key != "currencies"), p => Assert.Contains($"`{p.Key}`", row));
        // Every resource of actions, with its actions.
        Assert.Contains("| `paymentLinks` | `payment_links` | `create`, `read`, `update` |", reference);
    }

    [Fact]
    public void Required_keys_ranges_and_patterns_are_said()
    {
        var reference = ConfigReference.Markdown();
        Assert.Matches(@"\| `http\.tokens\[\]\.sha256` \| string \| SHA-256 of the token in hex \(stripe-mcp hash-token prints it\)\. Required\. Matches `\^\[0-9a-fA-F\]\{64\}\$`\. \|", reference);
        Assert.Contains("| `http.maxBodyBytes` | integer | At least 1. |", reference);
        Assert.Contains("| `http.oauth.issuer` | string (uri) or array of string (uri) |", reference);
    }

    /// <summary>The defaults the page states beside the schema are the settings' own.</summary>
    [Fact]
    public void The_defaults_the_page_states_are_the_settings_defaults()
    {
        var page = DocPages.Read("docs/configuration.md");
        int Stated(string key)
        {
            var m = System.Text.RegularExpressions.Regex.Match(page, $@"^\| `{System.Text.RegularExpressions.Regex.Escape(key)}` \| (\d+)", System.Text.RegularExpressions.RegexOptions.Multiline);
            Assert.True(m.Success, $"docs/configuration.md states no default for {key}");
            return int.Parse(m.Groups[1].Value);
        }
        var http = new HttpSettings();
        Assert.Equal(http.MaxBodyBytes, Stated("http.maxBodyBytes"));
        Assert.Equal(http.RateLimitPerMinute, Stated("http.rateLimitPerMinute"));
        Assert.Equal(http.RequestTimeoutSeconds, Stated("http.requestTimeoutSeconds"));
    }
}
