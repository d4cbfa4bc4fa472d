using System.Text.RegularExpressions;
using NJsonSchema;
using StripeMcp.Configuration;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>http.oauth in the config file: the example in docs/http.md is valid, and each bad value is named.</summary>
public sealed partial class OAuthConfigTests
{
    private static OptionsLoader.Result Load(string json, string? secret = null, string host = "127.0.0.1") =>
        OptionsLoader.Load(new CommandLineInputs { Config = TestFiles.Config(json), Http = true, Host = host, Port = 0, ApiKey = "sk_test_oauthcfg" },
            n => n == EnvVars.OAuthClientSecret ? secret : null);

    [GeneratedRegex("""\n## OAuth 2\.1 access tokens.*?```json\n(.*?)```""", RegexOptions.Singleline)]
    private static partial Regex PageExample();

    [Fact]
    public async Task The_http_pages_oauth_example_loads_validates_and_may_serve_beyond_loopback()
    {
        var json = PageExample().Match(DocPages.Read("docs/http.md")).Groups[1].Value;
        Assert.Contains("\"oauth\"", json);
        Assert.Empty((await JsonSchema.FromJsonAsync(File.ReadAllText(TestFiles.Repo("mcp-config.schema.json")))).Validate(json));
        var result = Load(json, host: "0.0.0.0"); // OAuth alone is authentication enough to serve beyond loopback
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        var oauth = result.Options.Http.OAuth!;
        Assert.Equal(["mcp"], oauth.RequiredScopes);
        Assert.Contains("refunds.create", oauth.Scopes!["stripe.support"].Permissions!);
        Assert.DoesNotContain("invoices.create", oauth.Scopes["stripe.support"].Permissions!);
        Assert.Contains("invoices.create", oauth.Scopes["stripe.finance"].Permissions!);
        Assert.All(oauth.Scopes["stripe.audit"].Permissions!, p => Assert.EndsWith(".read", p));
        Assert.Contains("invoices.read", oauth.Scopes["stripe.audit"].Permissions!);
    }

    [Theory]
    [InlineData("""{ "scopes": {} }""", "http.oauth.scopes: must be an object of scope")]
    [InlineData("""{ "scopes": { "support": {} } }""", "http.oauth.scopes[\"support\"]: grants nothing")]
    [InlineData("""{ "scopes": { "support": { "actions": { "customers": { "reed": true } } } } }""", "unknown action \"reed\"")]
    [InlineData("""{ "scopes": { "support": { "toolsets": ["custmers"] } } }""", "unknown toolset \"custmers\"")]
    [InlineData("""{ "scopes": { "two words": { "readOnly": true } } }""", "not a scope")]
    [InlineData("""{ "scopes": { "support": { "actions": {} } } }""", "grants nothing")]
    [InlineData("""{ "scopes": { "support": { "toolsets": [] } } }""", "grants nothing")]
    [InlineData("""{ "scopes": { "support": { "actions": { "customers": { "create": false } } } } }""", "grants nothing")]
    [InlineData("""{ "scopes": { "support": { "readOnly": true, "actions": { "customers": { "create": true } } } } }""", "readOnly keeps only reads")]
    [InlineData("""{ "scopes": { "support": { "readOnly": "yes" } } }""", "readOnly: must be true or false")]
    [InlineData("""{ "scopes": { "support": { "grant": "all" } } }""", "support\"].grant: unknown key")]
    [InlineData("""{ "requiredScopes": ["mcp read"] }""", "\"mcp read\" is not a scope")]
    [InlineData("""{ "requiredScopes": "mcp" }""", "requiredScopes: must be an array of strings")]
    [InlineData("""{ "introspection": {} }""", "introspection.clientId: is required")]
    [InlineData("""{ "introspection": { "clientId": "x", "clientSecret": "s3cret" } }""", "introspection.clientSecret: unknown key")]
    [InlineData("""{ "introspection": { "clientId": "stripe-mcp" } }""", "STRIPE_MCP_OAUTH_CLIENT_SECRET is not set")]
    public void A_bad_oauth_value_is_named(string extra, string problem)
    {
        var oauth = extra.Trim()[1..^1];
        var result = Load($$"""{ "http": { "oauth": { "issuer": "https://login.example.com/", "resource": "https://mcp.example.com/mcp", {{oauth}} } } }""");
        Assert.False(result.Ok);
        Assert.Contains(result.Problems, p => p.Contains(problem));
        Assert.DoesNotContain(result.Problems, p => p.Contains("s3cret"));
    }

    [Theory]
    [InlineData("""[]""", "http.oauth.issuer: is empty")]
    [InlineData("""["https://a.example.com/", "https://a.example.com/"]""", "names an issuer twice")]
    [InlineData("""["https://a.example.com/", "ftp://b.example.com/"]""", "http.oauth.issuer[1]: must be an https URL")]
    [InlineData("""["https://a.example.com/", 7]""", "http.oauth.issuer[1]: must be an https URL")]
    public void A_bad_issuer_list_is_named(string issuers, string problem)
    {
        var result = Load($$"""{ "http": { "oauth": { "issuer": {{issuers}}, "resource": "https://mcp.example.com/mcp" } } }""");
        Assert.Contains(result.Problems, p => p.Contains(problem));
    }

    [Fact]
    public void An_issuer_url_with_user_info_is_refused_and_not_echoed()
    {
        var result = Load("""{ "http": { "oauth": { "issuer": "https://admin:hunter2@login.example.com/", "resource": "https://mcp.example.com/mcp" } } }""");
        Assert.Contains(result.Problems, p => p.Contains("http.oauth.issuer: must be an https URL (http only on a loopback name), without user info"));
        Assert.DoesNotContain(result.Problems, p => p.Contains("hunter2"));
    }

    [Fact]
    public void The_introspection_secret_comes_from_the_environment()
    {
        var result = Load("""{ "http": { "oauth": { "issuer": "https://login.example.com/", "resource": "https://mcp.example.com/mcp", "introspection": { "clientId": "stripe-mcp" } } } }""", secret: "from-env");
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        Assert.Equal(new IntrospectionClient("stripe-mcp", "from-env"), result.Options.Http.OAuth!.Introspection);
    }

    /// <summary>stripe:read and a table's readOnly grant the .read permissions: that must be exactly the read-only tools and operations.</summary>
    [Fact]
    public void The_read_permissions_are_exactly_the_read_only_tools_and_operations()
    {
        Assert.All(ToolCatalog.All, t => Assert.True(ScopeGrant.IsRead(t.Permission) == t.ReadOnly, $"{t.Name}: {t.Permission}, read-only {t.ReadOnly}"));
        Assert.All(StripeMcp.Api.ApiCatalog.All, op => Assert.True(!ScopeGrant.IsRead(op.Permission) || op.ReadOnly, $"{op.Id}: {op.Permission} is a read permission of a write"));
    }
}
