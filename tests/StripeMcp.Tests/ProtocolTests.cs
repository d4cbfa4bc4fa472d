// Logging is deprecated from protocol 2026-07-28 (SEP-2577); the handshake protocols before it still have it.
#pragma warning disable MCP9005
using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// JSON-RPC as the spec has it: every line that cannot be run gets an error answer (none leaves a client
/// waiting), and the server advertises only what it does (logging notifications, no tools/list_changed).
/// </summary>
public sealed class ProtocolTests
{
    private const string Ping = """{"jsonrpc":"2.0","id":99,"method":"ping"}""";

    private static async Task<RawStdio> Started(FakeStripe stripe)
    {
        var server = RawStdio.Start(["--tools", "all", "--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl]);
        await server.HandshakeAsync();
        return server;
    }

    private static int Code(JsonElement answer) => answer.GetProperty("error").GetProperty("code").GetInt32();

    [Fact]
    public async Task A_line_that_is_not_json_gets_a_parse_error_and_the_server_goes_on()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await Started(stripe);

        await server.SendAsync("this is not JSON");
        Assert.Equal(-32700, Code(await server.AnswerTo("null")));

        // Cut short after its id: still a parse error, answered with that id so the caller stops waiting.
        await server.SendAsync("""{"jsonrpc":"2.0","id":5,"method":"ping" """);
        Assert.Equal(-32700, Code(await server.AnswerTo("5")));

        await server.SendAsync(Ping);
        Assert.True((await server.AnswerTo("99")).TryGetProperty("result", out _));
    }

    [Fact]
    public async Task A_batch_is_refused_as_an_invalid_request_and_none_of_it_runs()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await Started(stripe);

        await server.SendAsync("""[{"jsonrpc":"2.0","id":11,"method":"ping"},{"jsonrpc":"2.0","id":12,"method":"tools/call","params":{"name":"list_customers","arguments":{}}}]""");
        var answer = await server.AnswerTo("null");
        Assert.Equal(-32600, Code(answer));
        Assert.Contains("batch", answer.GetProperty("error").GetProperty("message").GetString(), StringComparison.OrdinalIgnoreCase);

        await server.SendAsync(Ping);
        await server.AnswerTo("99");
        Assert.DoesNotContain(server.Seen, l => l.Contains("\"id\":11") || l.Contains("\"id\":12"));
        Assert.Empty(stripe.Requests);
    }

    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":21}""", "21")]
    [InlineData("""{"id":"no-version","method":"ping"}""", "\"no-version\"")]
    [InlineData("""{"jsonrpc":"1.0","id":22,"method":"ping"}""", "22")]
    [InlineData("""{"jsonrpc":"2.0","id":23,"method":42}""", "23")]
    [InlineData("""{"jsonrpc":"2.0","id":{"x":1},"method":"ping"}""", "null")]
    [InlineData("""42""", "null")]
    public async Task A_json_value_that_is_not_a_valid_message_gets_an_invalid_request_answer(string line, string id)
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await Started(stripe);

        await server.SendAsync(line);

        Assert.Equal(-32600, Code(await server.AnswerTo(id)));
        await server.SendAsync(Ping);
        await server.AnswerTo("99");
    }

    [Fact]
    public async Task Stdio_advertises_logging_and_sends_it_redacted_at_the_clients_level_and_no_list_changed()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var options = TestServer.Human();
        options.ProtocolVersion = "2025-11-25"; // logging/setLevel is the handshake protocols' way
        await using var server = await TestServer.StartAsync(["--tools", "all", "--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl], client: options);
        var caps = server.Client.ServerCapabilities;
        Assert.NotEqual(true, caps.Tools?.ListChanged);
        Assert.NotNull(caps.Logging);

        var messages = new ConcurrentQueue<LoggingMessageNotificationParams>();
        await using var _ = server.Client.RegisterNotificationHandler("notifications/message", (n, _) =>
        {
            messages.Enqueue(n.Params!.Deserialize<LoggingMessageNotificationParams>(ModelContextProtocol.McpJsonUtilities.DefaultOptions)!);
            return ValueTask.CompletedTask;
        });
        const string Secret = "sk_live_51NotificationLeak0123456789";

        await server.Client.SetLoggingLevelAsync(LoggingLevel.Warning);
        await server.CallAsync("create_customer", $$"""{"name":"Quiet","description":"{{Secret}}"}""");
        await Task.Delay(1000);
        Assert.Empty(messages); // the audit line is info, below the client's level

        await server.Client.SetLoggingLevelAsync(LoggingLevel.Info);
        await server.CallAsync("create_customer", $$"""{"name":"Loud","description":"{{Secret}}"}""");
        await Eventually.True(() => messages.Any(m => m.Data.ToString().Contains("create_customer")));
        Assert.All(messages, m => Assert.True(m.Level >= LoggingLevel.Info));
        Assert.All(messages, m => Assert.DoesNotContain(Secret[8..], m.Data.ToString()));
        Assert.All(messages, m => Assert.DoesNotContain(TestServer.TestKey[8..], m.Data.ToString()));
    }

    [Fact]
    public async Task Stdio_on_the_newest_protocol_advertises_no_list_changed()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await TestServer.StartAsync(stripe, "--tools", "all");
        Assert.NotNull(server.Client.ServerCapabilities.Tools);
        Assert.NotEqual(true, server.Client.ServerCapabilities.Tools!.ListChanged);
    }

    /// <summary>One process serves many tokens: its log is not any one client's, so HTTP does not offer it.</summary>
    [Fact]
    public async Task Stateful_http_advertises_neither_logging_nor_list_changed()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await HttpTestServer.StartAsync(stripe, ["--tools", "all", "--stateful"]);
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        Assert.NotNull(client.ServerCapabilities.Tools);
        Assert.NotEqual(true, client.ServerCapabilities.Tools!.ListChanged);
        Assert.Null(client.ServerCapabilities.Logging);
    }

    /// <summary>
    /// No tool runs as a task: tasks/* from a client without the extension is -32021 (2026-07-28), not -32601. Over
    /// HTTP in a session (a 2026-07-28 client's is the conformance suite's, a 400 the SDK client reports as HTTP).
    /// </summary>
    [Fact]
    public async Task Tasks_methods_are_refused_as_a_missing_client_extension_over_stdio_and_http()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var stdio = await TestServer.StartAsync(stripe, "--tools", "all");
        await using var http = await HttpTestServer.StartAsync(stripe, ["--tools", "all", "--stateful"]);
        await using var overHttp = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(http.Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }), new McpClientOptions { ProtocolVersion = "2025-11-25" });
        foreach (var client in new[] { stdio.Client, overHttp })
            foreach (var method in new[] { "tasks/get", "tasks/update", "tasks/cancel" })
            {
                var refused = await Assert.ThrowsAnyAsync<ModelContextProtocol.McpProtocolException>(() => client.SendRequestAsync(
                    new JsonRpcRequest { Method = method, Params = new System.Text.Json.Nodes.JsonObject { ["taskId"] = "task_1" } }));
                Assert.Equal(-32021, (int)refused.ErrorCode);
                Assert.Contains("runs no tasks", refused.Message);
            }
        Assert.Empty(stripe.Requests);
    }
}
