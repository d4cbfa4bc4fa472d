using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Configuration;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>The edges of the HTTP transport, served as `serve --http` serves it and a Stripe stand-in.</summary>
public sealed class HttpEdgeTests
{
    private const string First = "first-token-0123456789", Second = "second-token-0123456789";
    private static readonly Dictionary<string, string?> Tokens = new() { [EnvVars.HttpTokens] = $"{First},{Second}" };
    private const string CallBalance = """{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"retrieve_balance","arguments":{}}}""";

    /// <summary>A session is an initialize client's (2025-11-25); a 2026-07-28 client is served per request.</summary>
    private static Task<McpClient> Connect(HttpTestServer server, string token, string? protocol = null) =>
        TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" },
        }), TestServer.Human("accept", protocol));

    /// <summary>A request to /mcp as a client sends it (Accept, protocol version, token), with <paramref name="content"/> as the body.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> Send(HttpTestServer server, HttpMethod method, string token, HttpContent? content, string? sessionId = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(method, server.Url + "/mcp") { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        request.Headers.Add("MCP-Protocol-Version", "2025-11-25");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (sessionId is not null) request.Headers.Add("Mcp-Session-Id", sessionId);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement ErrorOf(string body) => JsonDocument.Parse(body).RootElement.GetProperty("error");

    /// <summary>The refusal logged one warning (containing <paramref name="says"/>) and nothing else: no error, no exception, no stack trace.</summary>
    private static async Task AssertOneWarning(HttpTestServer server, int linesBefore, string says)
    {
        await Eventually.True(() => server.Stderr.Skip(linesBefore).Any(l => l.Contains(says)));
        await Task.Delay(300); // a stack trace would follow its line at once
        var lines = server.Stderr.Skip(linesBefore).ToList();
        Assert.True(lines.Count == 1 && lines[0].Contains("[WRN]"), string.Join("\n", lines));
        Assert.DoesNotContain(lines, l => l.Contains("Exception") || l.StartsWith("   at "));
    }

    [Fact]
    public async Task Stateful_sessions_work_with_tokens_and_stay_bound_to_the_token_that_opened_them()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await HttpTestServer.StartAsync(stripe, ["--tools", "all", "--stateful"], Tokens);
        await using var client = await Connect(server, First, "2025-11-25");
        Assert.NotNull(client.SessionId);
        Assert.False((await client.CallToolAsync("retrieve_balance")).IsError ?? false);
        Assert.Single(stripe.Requests);
        stripe.Reset();

        // Another valid token presenting the first's session id is refused (the SDK's user check, 403), and no tool runs.
        var (status, body) = await Send(server, HttpMethod.Post, Second, new StringContent(CallBalance, Encoding.UTF8, "application/json"), client.SessionId);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("does not match the user who initiated the session", body);
        Assert.DoesNotContain("\"result\"", body);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(server, HttpMethod.Delete, Second, null, client.SessionId)).Status);
        Assert.Empty(stripe.Requests);

        // The session is still the first token's.
        Assert.False((await client.CallToolAsync("retrieve_balance")).IsError ?? false);
        Assert.Single(stripe.Requests);
        Assert.DoesNotContain(server.Stderr, l => l.Contains(First) || l.Contains(Second));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("text/plain")]
    public async Task A_POST_that_is_not_JSON_is_415_with_one_warning(string? contentType)
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await HttpTestServer.StartAsync(stripe, ["--tools", "all"], Tokens);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(CallBalance));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        var before = server.Stderr.Count;

        var (status, body) = await Send(server, HttpMethod.Post, First, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("unsupported_media_type", ErrorOf(body).GetProperty("type").GetString());
        Assert.Contains("application/json", ErrorOf(body).GetProperty("message").GetString());
        await AssertOneWarning(server, before, "Content-Type");
        Assert.Empty(stripe.Requests);
    }

    [Fact]
    public async Task A_chunked_body_growing_past_the_limit_is_413_with_the_JSON_body_and_no_stack_trace()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await HttpTestServer.StartAsync(stripe, ["--tools", "all", "--config", TestFiles.Config("""{ "http": { "maxBodyBytes": 4096 } }""")], Tokens);
        var big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"create_customer\",\"arguments\":{\"description\":\"" + new string('x', 20_000) + "\"}}}";
        var before = server.Stderr.Count;

        var (status, body) = await Send(server, HttpMethod.Post, First, new ChunkedJson(big));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("payload_too_large", ErrorOf(body).GetProperty("type").GetString());
        Assert.Contains("4096", ErrorOf(body).GetProperty("message").GetString());
        await AssertOneWarning(server, before, "4096");
        Assert.Empty(stripe.Requests);
    }

    [Fact]
    public async Task A_body_arriving_too_slowly_is_408_with_the_JSON_body_and_no_stack_trace()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await HttpTestServer.StartAsync(stripe, ["--tools", "all"], Tokens);
        var uri = new Uri(server.Url);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        await using var stream = tcp.GetStream();
        var before = server.Stderr.Count;

        // Kestrel's minimum body data rate (240 bytes/s after a 5 s grace period) gives up on a body that stops arriving.
        var head = $"POST /mcp HTTP/1.1\r\nHost: {uri.Authority}\r\nAuthorization: Bearer {First}\r\nContent-Type: application/json\r\n" +
                   "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: 2025-11-25\r\nContent-Length: 500\r\n\r\n" + CallBalance[..20];
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        var response = await new StreamReader(stream).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 408", response);
        Assert.Contains("Content-Type: application/json", response);
        var json = response[response.IndexOf('{')..(response.LastIndexOf('}') + 1)]; // the one chunk of a chunked body
        Assert.Equal("request_timeout", ErrorOf(json).GetProperty("type").GetString());
        Assert.Contains("too slowly", ErrorOf(json).GetProperty("message").GetString());
        await AssertOneWarning(server, before, "too slowly");
        Assert.Empty(stripe.Requests);
    }

    /// <summary>A JSON body of unknown length: sent chunked, with no Content-Length for the server to check up front.</summary>
    private sealed class ChunkedJson : HttpContent
    {
        private readonly string json;

        public ChunkedJson(string json) => (this.json, Headers.ContentType) = (json, new MediaTypeHeaderValue("application/json"));

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            for (var at = 0; at < bytes.Length; at += 1024) await stream.WriteAsync(bytes.AsMemory(at, Math.Min(1024, bytes.Length - at)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
