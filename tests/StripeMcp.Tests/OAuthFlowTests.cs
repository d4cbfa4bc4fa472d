using System.Net;
using ModelContextProtocol.Authentication;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// Issue 17's proof against a real authorization server (OpenIddict on 127.0.0.1): the MCP SDK's own client OAuth
/// discovers it from the server's 401, signs a user in with authorization code + PKCE, steps up on a 403; a machine
/// agent uses client credentials; tools/list and tools/call follow the token's scopes, and nothing else reaches Stripe.
/// </summary>
public sealed class OAuthFlowTests
{
    private sealed record Setup(Sandbox.Sandbox Sandbox, TestAuthorizationServer As, HttpTestServer Server, string Resource, string Other) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Server.DisposeAsync();
            await As.DisposeAsync();
            await Sandbox.DisposeAsync();
        }
    }

    private static async Task<Setup> Start(bool stateful = false, bool reference = false, string oauthExtra = "", Dictionary<string, string?>? env = null)
    {
        var sandbox = await Sandbox.Sandbox.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var other = "http://127.0.0.1:1/other-mcp";
        var auth = await TestAuthorizationServer.StartAsync([resource, other], reference);
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{auth.Issuer}}", "resource": "{{resource}}"{{oauthExtra.Replace("RESOURCE", resource)}} } } }""");
        var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_oauthflow", "--stripe-api-base", sandbox.BaseUrl, "--config", config, .. (stateful ? new[] { "--stateful" } : [])], env, port);
        return new Setup(sandbox, auth, server, resource, other);
    }

    /// <summary>The SDK's client, signing <paramref name="user"/> in at the authorization server when the server asks.</summary>
    private static Task<McpClient> SignIn(Setup s, string user, string password, string[] firstScopes, List<Uri>? visits = null) =>
        TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(s.Resource),
            TransportMode = HttpTransportMode.StreamableHttp,
            OAuth = new ClientOAuthOptions
            {
                ClientId = TestAuthorizationServer.AppClient,
                RedirectUri = new Uri(TestAuthorizationServer.AppRedirect),
                // The user asks for these instead of everything the metadata lists, and for what a 403 names (step-up).
                ScopeSelector = candidates => [.. firstScopes, .. (candidates ?? []).Where(c => !Listed.Contains(c))],
                AuthorizationCallbackHandler = (ctx, _) => { visits?.Add(ctx.AuthorizationUri); return TestAuthorizationServer.BrowserAsync(ctx.AuthorizationUri, user, password); },
            },
        }));

    private static readonly HashSet<string> Listed = [.. StripeMcp.Http.OAuthResourceServer.ScopesSupported()];

    /// <param name="protocol">2025-11-25 for a session on a stateful server (a 2026-07-28 client has none).</param>
    private static Task<McpClient> WithToken(Setup s, string token, string? protocol = null) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(s.Resource),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }), new McpClientOptions { ProtocolVersion = protocol });

    private static bool Created(Setup s, string name) =>
        s.Sandbox.Execute("GET", "/v1/customers", "limit=100")["data"]!.AsArray().Any(c => c!["name"]?.GetValue<string>() == name);

    [Fact]
    public async Task A_user_signs_in_with_authorization_code_and_PKCE_and_steps_up_for_a_write()
    {
        await using var s = await Start();
        var visits = new List<Uri>();
        await using var client = await SignIn(s, "alice", "alice-password", ["stripe:customers.read"], visits);

        // Discovery from the 401, then the authorization request: PKCE (S256), this resource (RFC 8707), the scopes chosen.
        var first = System.Web.HttpUtility.ParseQueryString(Assert.Single(visits).Query);
        Assert.StartsWith(s.As.Issuer + "connect/authorize", visits[0].ToString());
        Assert.Equal("S256", first["code_challenge_method"]);
        Assert.Equal(s.Resource, first["resource"]);
        Assert.Equal("stripe:customers.read", first["scope"]);

        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("list_customers", names);
        Assert.DoesNotContain("create_customer", names);
        Assert.False((await client.CallToolAsync("list_customers")).IsError ?? false);
        await Eventually.True(() => s.Server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains("caller=oauth:alice")));

        // A write the token does not reach: 403 insufficient_scope naming stripe:customers.create; the SDK signs alice
        // in again for it (step-up) and the call goes through with the new token.
        var created = await client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Alice stepped up" });
        Assert.False(created.IsError ?? false, created.Text());
        Assert.Equal(2, visits.Count);
        var second = System.Web.HttpUtility.ParseQueryString(visits[1].Query)["scope"]!.Split(' ');
        Assert.Contains("stripe:customers.create", second);
        Assert.True(Created(s, "Alice stepped up"));
        await Eventually.True(() => s.Server.Stderr.Any(l => l.Contains("audit create_customer ok") && l.Contains("caller=oauth:alice")));
    }

    [Fact]
    public async Task A_user_the_authorization_server_will_not_grant_a_write_cannot_step_up_into_it()
    {
        await using var s = await Start();
        var visits = new List<Uri>();
        await using var client = await SignIn(s, "bob", "bob-password", ["stripe:read"], visits);
        var names = (await client.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("list_customers", names);
        Assert.DoesNotContain("create_customer", names);

        // Bob asks again with stripe:customers.create; the authorization server grants only what he may hold, so the
        // server refuses again and the SDK gives up. Nothing is created.
        var e = await Assert.ThrowsAnyAsync<Exception>(() => client.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Bob's write" }).AsTask());
        Assert.Contains("insufficient_scope", e.ToString());
        Assert.False(Created(s, "Bob's write"));
    }

    [Fact]
    public async Task A_machine_agent_uses_client_credentials_and_a_token_for_another_resource_or_without_a_stripe_scope_is_refused()
    {
        await using var s = await Start(stateful: true);
        var granted = await s.As.ClientCredentialsAsync("stripe:customers.read", s.Resource);
        await using (var bot = await WithToken(s, granted, "2025-11-25"))
        {
            Assert.NotNull(bot.SessionId);
            var names = (await bot.ListToolsAsync()).Select(t => t.Name).ToList();
            Assert.Contains("list_customers", names);
            Assert.DoesNotContain("create_customer", names);
            Assert.DoesNotContain("create_refund", names);
            Assert.False((await bot.CallToolAsync("list_customers")).IsError ?? false);

            // A stateful session keeps its opening token's tools: a token with more scopes is refused on it (and would
            // open its own session), so a session never holds tools its token's scopes do not reach.
            var wider = (await s.As.ClientCredentialsAsync("stripe:customers.create stripe:customers.read", s.Resource));
            var onSession = await OAuthTests.Post(s.Resource, wider,
                """{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"Session hop"}}}""", bot.SessionId);
            Assert.Equal(HttpStatusCode.Forbidden, onSession.StatusCode);
            Assert.False(Created(s, "Session hop"));
        }
        await Eventually.True(() => s.Server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains("caller=oauth:billing-bot")));

        // A token the same authorization server issued for another resource: 401, nothing sent.
        var elsewhere = (await s.As.ClientCredentialsAsync("stripe:customers.create", s.Other));
        var call = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"Misaddressed"}}}""";
        var r = await OAuthTests.Post(s.Resource, elsewhere, call);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("another resource", await r.Content.ReadAsStringAsync());

        // A token for this resource with no stripe scope: 403 naming stripe:read.
        var finance = (await s.As.ClientCredentialsAsync("finance", s.Resource));
        r = await OAuthTests.Post(s.Resource, finance, call);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"stripe:read\"", r.Headers.WwwAuthenticate.ToString());
        Assert.False(Created(s, "Misaddressed"));
    }

    private const string ToolsCall = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"NAME"}}}""";

    [Fact]
    public async Task Opaque_tokens_are_checked_by_introspection_at_the_authorization_server()
    {
        await using var s = await Start(reference: true, oauthExtra: """, "introspection": { "clientId": "RESOURCE" }""",
            env: new() { ["STRIPE_MCP_OAUTH_CLIENT_SECRET"] = TestAuthorizationServer.IntrospectionSecret });
        var opaque = await s.As.ClientCredentialsAsync("stripe:customers.read", s.Resource);
        Assert.Equal(0, opaque.Count(c => c == '.')); // a reference token, not a JWT
        await using (var bot = await WithToken(s, opaque))
        {
            var names = (await bot.ListToolsAsync()).Select(t => t.Name).ToList();
            Assert.Contains("list_customers", names);
            Assert.DoesNotContain("create_customer", names);
            Assert.False((await bot.CallToolAsync("list_customers")).IsError ?? false);
        }
        Assert.True(s.As.Requests.GetValueOrDefault("/connect/introspect") > 0);
        await Eventually.True(() => s.Server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains("caller=oauth:billing-bot")));

        // Issued for another resource, unknown to the authorization server, or not a token at all: 401, nothing sent.
        var elsewhere = await s.As.ClientCredentialsAsync("stripe:customers.create", s.Other);
        foreach (var (token, why) in new[] { (elsewhere, "introspection refused the token"), ("made-up-opaque-token", "introspection refused the token") })
        {
            var r = await OAuthTests.Post(s.Resource, token, ToolsCall.Replace("NAME", "Opaque"));
            Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{token}: {r.StatusCode} {await r.Content.ReadAsStringAsync()}");
            Assert.Contains(why, await r.Content.ReadAsStringAsync());
            Assert.Contains("error=\"invalid_token\"", r.Headers.WwwAuthenticate.ToString());
        }
        Assert.False(Created(s, "Opaque"));
    }

    [Fact]
    public async Task Introspection_without_its_client_secret_in_the_environment_does_not_start()
    {
        var (port, resource) = TestAuthorizationServer.PickResource();
        var config = TestFiles.Config($$"""{ "http": { "oauth": { "issuer": "http://127.0.0.1:1/", "resource": "{{resource}}", "introspection": { "clientId": "stripe-mcp" } } } }""");
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => HttpTestServer.StartAsync(["--api-key", "sk_test_nosecret", "--config", config], port: port));
        Assert.Contains("STRIPE_MCP_OAUTH_CLIENT_SECRET is not set", e.Message);
    }

    [Fact]
    public async Task The_operators_scope_table_decides_what_each_scope_grants_and_required_scopes_are_enforced()
    {
        await using var s = await Start(oauthExtra: """
            , "requiredScopes": ["mcp"],
              "scopes": {
                "support": { "actions": { "customers": { "read": true, "create": true } } },
                "finance": { "actions": { "refunds": { "read": true, "create": true } } },
                "auditor": { "readOnly": true }
              }
            """);
        var origin = s.Resource[..s.Resource.LastIndexOf('/')];
        using (var http = new HttpClient())
        {
            var listed = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(origin + "/.well-known/oauth-protected-resource/mcp")).RootElement.GetProperty("scopes_supported");
            Assert.Equal(["auditor", "finance", "support", "mcp"], listed.EnumerateArray().Select(x => x.GetString()));
        }

        // Without the required scope: 403 naming it.
        var r = await OAuthTests.Post(s.Resource, await s.As.ClientCredentialsAsync("support", s.Resource), ToolsCall.Replace("NAME", "No mcp"));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"mcp\"", r.Headers.WwwAuthenticate.ToString());

        // The table replaces the built-in grammar: stripe:all means nothing here.
        r = await OAuthTests.Post(s.Resource, await s.As.ClientCredentialsAsync("mcp stripe:all", s.Resource), ToolsCall.Replace("NAME", "Built-in"));
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"finance\"", r.Headers.WwwAuthenticate.ToString()); // the narrowest, not all of them

        await using (var support = await WithToken(s, await s.As.ClientCredentialsAsync("mcp support", s.Resource)))
        {
            var names = (await support.ListToolsAsync()).Select(t => t.Name).ToList();
            Assert.Contains("create_customer", names);
            Assert.DoesNotContain("create_refund", names);
            Assert.DoesNotContain("list_invoices", names);
            Assert.False((await support.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Support made" })).IsError ?? false);
        }
        Assert.True(Created(s, "Support made"));

        // A refund needs the table's scope that grants it: the step-up names "finance".
        var refund = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_refund","arguments":{"payment_intent":"pi_123"}}}""";
        r = await OAuthTests.Post(s.Resource, await s.As.ClientCredentialsAsync("mcp support", s.Resource), refund);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.Contains("error=\"insufficient_scope\", scope=\"finance\"", r.Headers.WwwAuthenticate.ToString());

        // readOnly alone: every read; scopes add up.
        await using var auditor = await WithToken(s, await s.As.ClientCredentialsAsync("mcp auditor", s.Resource));
        var read = (await auditor.ListToolsAsync()).Select(t => t.Name).ToList();
        Assert.Contains("list_customers", read);
        Assert.Contains("list_refunds", read);
        Assert.DoesNotContain("create_customer", read);
        await using var both = await WithToken(s, await s.As.ClientCredentialsAsync("mcp auditor support", s.Resource));
        Assert.Contains("create_customer", (await both.ListToolsAsync()).Select(t => t.Name));
    }
}
