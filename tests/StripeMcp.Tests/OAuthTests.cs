using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// The HTTP transport as an OAuth 2.1 resource server (issue 17, first slice): Protected Resource Metadata, the 401
/// challenge, JWT access tokens checked against the issuer's JWKS, scopes narrowing the policy, step-up on a missing scope.
/// </summary>
public sealed class OAuthTests
{
    /// <summary>
    /// A free port, this server's resource URI on it, and a config accepting the issuer's tokens for it: the resource URI
    /// is the server's own /mcp, whose port must be known before the server listens.
    /// </summary>
    private static (int Port, string Resource, string Config) Resource(TestIssuer issuer)
    {
        var (port, resource) = TestAuthorizationServer.PickResource();
        return (port, resource, TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{issuer.Url}}", "resource": "{{resource}}" } } }"""));
    }

    /// <summary>A static token the server accepts beside OAuth (STRIPE_MCP_HTTP_TOKENS).</summary>
    private const string StaticToken = "static-token-beside-oauth";

    private static async Task<(HttpTestServer Server, string Resource)> Start(Sandbox.Sandbox sandbox, TestIssuer issuer)
    {
        var (port, resource, config) = Resource(issuer);
        var server = await HttpTestServer.StartAsync(["--api-key", "sk_test_oauth", "--stripe-api-base", sandbox.BaseUrl, "--config", config, "--stateful"],
            new() { ["STRIPE_MCP_HTTP_TOKENS"] = StaticToken }, port);
        return (server, resource);
    }

    internal static async Task<HttpResponseMessage> Post(string url, string? token, string body = """{"jsonrpc":"2.0","id":1,"method":"ping"}""", string? session = null)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (session is not null) request.Headers.Add("Mcp-Session-Id", session);
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await http.SendAsync(request);
    }

    /// <param name="protocol">2025-11-25 for a session on a stateful server (a 2026-07-28 client has none).</param>
    private static Task<McpClient> Connect(string resource, string token, string? protocol = null) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(resource),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }), new McpClientOptions { ProtocolVersion = protocol });

    [Fact]
    public async Task Metadata_and_the_401_challenge_tell_a_client_where_to_get_a_token()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var (server, resource) = await Start(sandbox, issuer);
        await using (server)
        {
            var origin = resource[..resource.LastIndexOf('/')];
            using var http = new HttpClient();
            foreach (var path in new[] { "/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource" })
            {
                var metadata = JsonDocument.Parse(await http.GetStringAsync(origin + path)).RootElement;
                Assert.Equal(resource, metadata.GetProperty("resource").GetString());
                Assert.Equal(issuer.Url, metadata.GetProperty("authorization_servers")[0].GetString());
                Assert.Contains("stripe:read", metadata.GetProperty("scopes_supported").EnumerateArray().Select(s => s.GetString()));
            }
            var none = await Post(resource, null);
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
            Assert.Equal($"Bearer resource_metadata=\"{origin}/.well-known/oauth-protected-resource/mcp\"", none.Headers.WwwAuthenticate.ToString());
            Assert.Contains("or a static token", await none.Content.ReadAsStringAsync());

            // Static tokens keep working beside OAuth.
            await using var scripted = await Connect(resource, StaticToken);
            Assert.Contains("create_refund", (await scripted.ListToolsAsync()).Select(t => t.Name));
        }
    }

    [Fact]
    public async Task Expired_misaddressed_foreign_forged_and_unknown_key_tokens_are_401_and_nothing_reaches_stripe()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var (port, resource, config) = Resource(issuer);
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config], port: port);
        var stranger = TestIssuer.NewKey();
        var call = """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_customers","arguments":{}}}""";
        foreach (var (token, why) in new[]
        {
            (issuer.Token(resource, "stripe:all", lifetime: TimeSpan.FromMinutes(-5)), "expired"),
            (issuer.Token(resource, "stripe:all", notBefore: DateTime.UtcNow.AddMinutes(5)), "not valid yet"),
            (issuer.Token("http://127.0.0.1:1/mcp", "stripe:all"), "another resource"),
            (issuer.Token(resource, "stripe:all", issuer: "http://127.0.0.1:1"), "another issuer"),
            (issuer.Token(resource, "stripe:all", key: stranger), "a key the issuer does not publish"),
            (issuer.Token(resource, "stripe:all")[..^6] + "AAAAAA", "signature"),
            ("not.a.jwt", "not valid"),
        })
        {
            var r = await Post(resource, token, call);
            Assert.True(r.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {r.StatusCode}");
            Assert.Contains("error=\"invalid_token\"", r.Headers.WwwAuthenticate.ToString());
            Assert.Contains(why, await r.Content.ReadAsStringAsync());
        }
        Assert.Empty(stripe.Requests);
    }

    [Fact]
    public async Task Scopes_narrow_the_tools_a_missing_scope_is_a_403_step_up_and_a_rotated_key_is_followed()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var (server, resource) = await Start(sandbox, issuer);
        await using (server)
        {
            await using (var reader = await Connect(resource, issuer.Token(resource, "openid stripe:read", subject: "alice")))
            {
                var names = (await reader.ListToolsAsync()).Select(t => t.Name).ToList();
                Assert.Contains("list_customers", names);
                Assert.DoesNotContain("create_customer", names);
                Assert.DoesNotContain("create_refund", names);
                Assert.False((await reader.CallToolAsync("list_customers")).IsError ?? false);
            }
            await Eventually.True(() => server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains("caller=oauth:alice")));

            // A tool the server has and the token does not reach: 403 with the scope to ask for; nothing created.
            var call = """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"Step up"}}}""";
            var refused = await Post(resource, issuer.Token(resource, "stripe:read"), call);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Contains("error=\"insufficient_scope\", scope=\"stripe:customers.create\"", refused.Headers.WwwAuthenticate.ToString());
            Assert.DoesNotContain(sandbox.Execute("GET", "/v1/customers", "limit=100")["data"]!.AsArray(), c => c!["name"]?.GetValue<string>() == "Step up");

            // No stripe scope at all: 403 asking for stripe:read.
            var nothing = await Post(resource, issuer.Token(resource, "openid profile"));
            Assert.Equal(HttpStatusCode.Forbidden, nothing.StatusCode);
            Assert.Contains("scope=\"stripe:read\"", nothing.Headers.WwwAuthenticate.ToString());

            // The issuer rotates its key: a token signed with the new one is accepted (the JWKS is fetched again).
            // A token signed with a key never published before is refused once: that refusal has the JWKS fetched again
            // (at most every 5 s), and the next request with it is accepted.
            issuer.Rotate();
            var token = issuer.Token(resource, "stripe:customers.create stripe:customers.read", subject: "bob");
            await Task.Delay(TimeSpan.FromSeconds(5.5));
            var fetched = issuer.JwksRequests;
            Assert.Equal(HttpStatusCode.Unauthorized, (await Post(resource, token)).StatusCode);
            await Eventually.True(() => Post(resource, token).GetAwaiter().GetResult().StatusCode != HttpStatusCode.Unauthorized); // fetched in the background
            Assert.True(issuer.JwksRequests > fetched);
            await using var writer = await Connect(resource, token);
            var created = await writer.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "After rotation" });
            Assert.False(created.IsError ?? false, created.Text());
            Assert.DoesNotContain("list_invoices", (await writer.ListToolsAsync()).Select(t => t.Name));
        }
    }

    [Fact]
    public async Task Scopes_only_add_a_subject_cannot_pass_for_another_and_a_token_without_one_is_refused()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var (port, resource, config) = Resource(issuer);
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config, "--stateful"], port: port);
        async Task<List<string>> Tools(string token)
        {
            await using var c = await Connect(resource, token);
            return [.. (await c.ListToolsAsync()).Select(t => t.Name)];
        }
        // stripe:read is every read, and a scope beside it adds to it (a step-up that keeps stripe:read gets the write).
        var reads = await Tools(issuer.Token(resource, "stripe:read"));
        var more = await Tools(issuer.Token(resource, "stripe:read stripe:customers.create"));
        Assert.Contains("list_invoices", reads);
        Assert.DoesNotContain("create_customer", reads);
        Assert.Empty(reads.Except(more));
        Assert.Equal(["create_customer", "stripe_api_write"], more.Except(reads).Order()); // the generic write tool, for customers' writes only
        Assert.Equal(reads.Order(), (await Tools(issuer.Token(resource, "stripe:read stripe:customers.read"))).Order());

        // A victim with every tool, then a token whose subject spells the victim's subject and scopes: it must get only
        // its own scope's tools, act under its own name, and nothing it may not do reaches Stripe.
        Assert.Contains("create_refund", await Tools(issuer.Token(resource, "stripe:all stripe:toolset:customers", subject: "x")));
        var forged = issuer.Token(resource, "stripe:toolset:customers", subject: "x stripe:all");
        Assert.DoesNotContain("create_refund", await Tools(forged));
        var refund = """{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"create_refund","arguments":{"payment_intent":"pi_123"}}}""";
        var r = await Post(resource, forged, refund);
        Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
        Assert.DoesNotContain(stripe.Requests, q => q.Path.Contains("refunds"));
        await using (var c = await Connect(resource, forged)) await c.CallToolAsync("list_customers");
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains("caller=oauth:\"x stripe:all\"")));

        // The generic path steps up too: an operation the server enables and the token does not reach is 403 naming its scope.
        foreach (var (tool, op, scope) in new[] { ("stripe_api_write", "PostRefunds", "stripe:refunds.create"), ("stripe_api_read", "GetInvoicesInvoice", "stripe:invoices.read") })
        {
            var generic = """{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"TOOL","arguments":{"operation":"OP","arguments":{"invoice":"in_123"}}}}""".Replace("TOOL", tool).Replace("OP", op);
            r = await Post(resource, issuer.Token(resource, "stripe:customers.read"), generic);
            Assert.Equal(HttpStatusCode.Forbidden, r.StatusCode);
            Assert.Contains($"error=\"insufficient_scope\", scope=\"{scope}\"", r.Headers.WwwAuthenticate.ToString());
        }

        // No sub and no client_id: refused, nothing sent.
        r = await Post(resource, issuer.Token(resource, "stripe:all", subject: null), refund);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        Assert.Contains("names no subject", await r.Content.ReadAsStringAsync());

        // The audience is the resource URI exactly: with a trailing slash it is another resource.
        r = await Post(resource, issuer.Token(resource + "/", "stripe:all"), refund);
        Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode);
        // No bearer credentials at all (another scheme): a plain challenge without an error code.
        using var http = new HttpClient();
        var basic = new HttpRequestMessage(HttpMethod.Post, resource) { Content = new StringContent(refund, Encoding.UTF8, "application/json") };
        basic.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        var b = await http.SendAsync(basic);
        Assert.Equal(HttpStatusCode.Unauthorized, b.StatusCode);
        Assert.DoesNotContain("error=", b.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain(stripe.Requests, q => q.Path.Contains("refunds") || q.Path.Contains("invoices"));
    }

    [Fact]
    public async Task Several_issuers_each_check_their_own_tokens_against_their_own_keys()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var people = await TestIssuer.StartAsync();
        await using var machines = await TestIssuer.StartAsync();
        await using var stranger = await TestIssuer.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": ["{{people.Url}}", "{{machines.Url}}"], "resource": "{{resource}}" } } }""");
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config, "--stateful"], port: port);
        using (var http = new HttpClient())
        {
            var metadata = JsonDocument.Parse(await http.GetStringAsync(resource.Replace("/mcp", "/.well-known/oauth-protected-resource/mcp"))).RootElement;
            Assert.Equal([people.Url, machines.Url], metadata.GetProperty("authorization_servers").EnumerateArray().Select(x => x.GetString()));
        }
        var ping = """{"jsonrpc":"2.0","id":1,"method":"ping"}""";
        await using (var reader = await Connect(resource, people.Token(resource, "stripe:read", subject: "alice")))
            Assert.Contains("list_customers", (await reader.ListToolsAsync()).Select(t => t.Name));
        await using (var bot = await Connect(resource, machines.Token(resource, "stripe:customers.read", subject: "bot")))
        {
            var names = (await bot.ListToolsAsync()).Select(t => t.Name).ToList();
            Assert.Contains("list_customers", names);
            Assert.DoesNotContain("create_customer", names);
        }
        foreach (var (token, why) in new[]
        {
            (machines.Token(resource, "stripe:all", key: people.Current), "signature"), // says machines, signed with people's key
            (machines.Token(resource, "stripe:all", issuer: people.Url), "signature"),   // says people, signed with machines' key
            (stranger.Token(resource, "stripe:all"), "another issuer"),
            ("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d", "not valid"), // JWE-shaped garbage
            (people.Token(resource, "stripe:toolset:all"), ""),                     // not a scope (stripe:all is): 403 below
        })
        {
            var r = await Post(resource, token, ping);
            Assert.True(r.StatusCode == (why == "" ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized), $"{why}: {r.StatusCode}");
            Assert.Contains(why == "signature" ? "key the issuer does not publish" : why, await r.Content.ReadAsStringAsync());
        }

        // The same sub at two issuers is two callers: its own session, its own name in the audit.
        await using (var alice = await Connect(resource, people.Token(resource, "stripe:all", subject: "alice"), "2025-11-25"))
        {
            Assert.NotNull(alice.SessionId);
            await alice.CallToolAsync("list_customers");
            var other = await Post(resource, machines.Token(resource, "stripe:all", subject: "alice"),
                """{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"Other alice"}}}""", alice.SessionId);
            Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        }
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("audit list_customers ok") && l.Contains($"caller=oauth:alice@{people.Url}")));
        Assert.DoesNotContain(stripe.Requests, q => q.Method == "POST");
    }
}
