using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>The authorization server unreachable: the server cannot check a token, so it refuses it — 503, not "your token is bad".</summary>
public sealed class OAuthUnavailableTests
{
    [Fact]
    public async Task An_unreachable_issuer_is_a_503_that_says_so_and_nothing_reaches_stripe()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var issuer = await TestIssuer.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{issuer.Url}}", "resource": "{{resource}}" } } }""");
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config], port: port);
        var token = issuer.Token(resource, "stripe:all");
        await issuer.DisposeAsync(); // before the server ever fetched its metadata
        var r = await OAuthTests.Post(resource, token, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_customers","arguments":{}}}""");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("authorization server", await r.Content.ReadAsStringAsync());
        Assert.NotNull(r.Headers.RetryAfter);
        Assert.Empty(stripe.Requests);
        Assert.DoesNotContain(server.Stderr, l => l.Contains(token));
    }

    [Fact]
    public async Task An_unreachable_introspection_endpoint_is_a_503_and_nothing_reaches_stripe()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var auth = await TestAuthorizationServer.StartAsync([resource], reference: true);
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{auth.Issuer}}", "resource": "{{resource}}", "introspection": { "clientId": "{{resource}}" } } } }""");
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config], new() { ["STRIPE_MCP_OAUTH_CLIENT_SECRET"] = TestAuthorizationServer.IntrospectionSecret }, port);
        var known = await auth.ClientCredentialsAsync("stripe:toolset:customers", resource);
        var token = await auth.ClientCredentialsAsync("stripe:toolset:customers", resource);
        var ok = await OAuthTests.Post(resource, known);
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode); // introspected once: metadata is known
        await auth.DisposeAsync();
        // A token introspected moments ago is trusted for up to 30 s without asking again; one never seen cannot be checked.
        Assert.Equal(System.Net.HttpStatusCode.OK, (await OAuthTests.Post(resource, known)).StatusCode);
        var r = await OAuthTests.Post(resource, token, """{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_customers","arguments":{}}}""");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("authorization server", await r.Content.ReadAsStringAsync());
        Assert.Empty(stripe.Requests);
        Assert.DoesNotContain(server.Stderr, l => l.Contains(token) || l.Contains(TestAuthorizationServer.IntrospectionSecret));
    }

    [Fact]
    public async Task A_wrong_introspection_secret_is_a_503_and_an_error_naming_the_setting_not_a_bad_token()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        await using var auth = await TestAuthorizationServer.StartAsync([resource], reference: true);
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{auth.Issuer}}", "resource": "{{resource}}", "introspection": { "clientId": "{{resource}}" } } } }""");
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config], new() { ["STRIPE_MCP_OAUTH_CLIENT_SECRET"] = "not-the-secret" }, port);
        var r = await OAuthTests.Post(resource, await auth.ClientCredentialsAsync("stripe:toolset:customers", resource));
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, r.StatusCode);
        Assert.Contains("STRIPE_MCP_OAUTH_CLIENT_SECRET", await r.Content.ReadAsStringAsync());
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("[ERR]") && l.Contains("refused this server's introspection request")));
        Assert.DoesNotContain(server.Stderr, l => l.Contains("not-the-secret"));
        Assert.Empty(stripe.Requests);
    }

    [Fact]
    public async Task A_chunked_body_past_the_limit_during_the_step_up_check_is_a_413_with_a_reason()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var issuer = await TestIssuer.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "maxBodyBytes": 4096, "oauth": { "issuer": "{{issuer.Url}}", "resource": "{{resource}}" } } }""");
        await using var server = await HttpTestServer.StartAsync(stripe, ["--config", config], port: port);
        using var http = new HttpClient();
        var body = """{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"create_customer","arguments":{"name":"PAD"}}}""".Replace("PAD", new string('a', 8000));
        var request = new HttpRequestMessage(HttpMethod.Post, resource) { Content = new PushStreamContent(body).Json() };
        request.Headers.Authorization = new("Bearer", issuer.Token(resource, "stripe:read"));
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        var r = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
        Assert.Contains("over the limit of 4096 bytes", await r.Content.ReadAsStringAsync());
        Assert.DoesNotContain(server.Stderr, l => l.Contains("[ERR]"));
        Assert.Empty(stripe.Requests);
    }

    /// <summary>A JSON body sent chunked (no Content-Length).</summary>
    private sealed class PushStreamContent(string text) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text));
        protected override bool TryComputeLength(out long length) { length = 0; return false; }
        public PushStreamContent Json() { Headers.ContentType = new("application/json"); return this; }
    }
}
