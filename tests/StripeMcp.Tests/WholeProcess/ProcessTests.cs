using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>
/// The executable as a process: every mode stops on SIGINT/SIGTERM with exit 0 once the calls in flight
/// have finished, stdio answers everything read before stdin ended, and a port in use is one line and exit 2.
/// </summary>
public sealed class ProcessTests
{
    private const string EmptyList = """{"object":"list","data":[],"has_more":false,"url":"/v1/customers"}""";

    private static string Call(int id, string tool, string args = "{}") =>
        $$$"""{"jsonrpc":"2.0","id":{{{id}}},"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{args}}}}}""";

    /// <summary>The tool result's text, parsed: the Stripe object.</summary>
    private static JsonElement Text(JsonElement answer) =>
        JsonDocument.Parse(answer.GetProperty("result").GetProperty("content")[0].GetProperty("text").GetString()!).RootElement;

    private static void AssertSucceeded(JsonElement answer)
    {
        Assert.True(answer.TryGetProperty("result", out var result), answer.GetRawText());
        Assert.False(result.TryGetProperty("isError", out var e) && e.GetBoolean(), answer.GetRawText());
    }

    [Theory]
    [InlineData(RawStdio.SIGTERM)]
    [InlineData(RawStdio.SIGINT)]
    public async Task Stdio_stops_on_a_signal_after_the_call_in_flight_is_answered(int signal)
    {
        await using var stripe = await FakeStripe.StartAsync();
        stripe.Enqueue(Scripted.Stall(TimeSpan.FromSeconds(2), new Scripted(200, EmptyList)));
        await using var server = RawStdio.Spawn(["--tools", "all", "--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl]);
        await server.HandshakeAsync();
        await server.SendAsync(Call(2, "list_customers"));
        await Eventually.True(() => !stripe.Requests.IsEmpty);

        server.Signal(signal);

        AssertSucceeded(await server.AnswerTo("2"));
        Assert.Equal(0, await server.ExitCode());
    }

    [Fact]
    public async Task Stdio_sandbox_stops_on_a_signal_after_a_call_waiting_for_the_human_is_answered()
    {
        await using var server = RawStdio.Spawn(["--sandbox"]);
        await server.HandshakeAsync();
        await server.SendAsync(Call(2, "create_customer", """{"name":"Signal test"}"""));
        var created = await server.AnswerTo("2");
        var id = Text(created).GetProperty("id").GetString();
        await server.SendAsync(Call(3, "delete_customer", $$"""{"customer":"{{id}}"}"""));
        var ask = await server.Next(m => m.TryGetProperty("method", out var method) && method.GetString() == "elicitation/create");

        server.Signal(RawStdio.SIGTERM);
        await Task.Delay(500); // the signal is taken while the human is still deciding
        await server.SendAsync(Call(4, "list_customers"));
        var refused = await server.AnswerTo("4");
        Assert.Contains("shutting down", refused.GetProperty("error").GetProperty("message").GetString());
        await server.SendAsync("{\"jsonrpc\":\"2.0\",\"id\":" + ask.GetProperty("id").GetRawText() + ",\"result\":{\"action\":\"accept\",\"content\":{}}}");

        var deleted = await server.AnswerTo("3");
        AssertSucceeded(deleted);
        Assert.True(Text(deleted).GetProperty("deleted").GetBoolean());
        Assert.Equal(0, await server.ExitCode());
    }

    [Theory]
    [InlineData(RawStdio.SIGTERM)]
    [InlineData(RawStdio.SIGINT)]
    public async Task Sandbox_stops_on_a_signal_after_the_request_in_flight_is_answered(int signal)
    {
        await using var sandbox = RawStdio.Spawn(["sandbox", "--port", "0", "--faults", "stall", "--stall-ms", "2000"]);
        var url = await sandbox.NextLine();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk_test_signal");
        var stalled = http.GetAsync(url + "/v1/customers");
        await Task.Delay(700); // the request is held by the stall

        sandbox.Signal(signal);

        using var response = await stalled.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, await sandbox.ExitCode());
    }

    [Theory]
    [InlineData(RawStdio.SIGTERM)]
    [InlineData(RawStdio.SIGINT)]
    public async Task Http_stops_on_a_signal_after_the_call_in_flight_is_answered(int signal)
    {
        await using var stripe = await FakeStripe.StartAsync();
        stripe.Enqueue(Scripted.Stall(TimeSpan.FromSeconds(4), new Scripted(200, EmptyList)));
        await using var server = await HttpTestServer.SpawnAsync(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--tools", "all"]);
        await using var client = await TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        }));
        var call = client.CallToolAsync("list_customers", new Dictionary<string, object?>());
        await Eventually.True(() => !stripe.Requests.IsEmpty);

        Assert.Equal(0, RawStdio.Kill(server.Process.Id, signal));

        // While the call finishes, a new request, on a new connection, is told why it is not served: the port stays
        // open until then (a closed one would throw here).
        await Task.Delay(500);
        string refused = "";
        for (var tries = 0; tries < 60 && !refused.Contains("shutting_down"); tries++)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, server.Url + "/mcp") { Content = new StringContent("""{"jsonrpc":"2.0","id":9,"method":"ping"}""", System.Text.Encoding.UTF8, "application/json") };
            request.Headers.Accept.ParseAdd("application/json, text/event-stream");
            using var response = await http.SendAsync(request);
            if (response.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable) refused = await response.Content.ReadAsStringAsync();
            else await Task.Delay(50);
        }
        Assert.Contains("shutting_down", refused);
        Assert.False(call.IsCompleted, "the call in flight was still with Stripe when the new request was refused");

        var result = await call.AsTask().WaitAsync(TimeSpan.FromSeconds(15));
        Assert.True(result.IsError != true, result.Text());
        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await server.Process.WaitForExitAsync(exited.Token);
        Assert.Equal(0, server.Process.ExitCode);
    }

    /// <summary>(initialize; initialized; tools/call) | stripe-mcp: stdin ends while the call is still with Stripe.</summary>
    [Fact]
    public async Task Stdio_answers_every_request_read_before_stdin_ended()
    {
        await using var stripe = await FakeStripe.StartAsync();
        stripe.Enqueue(Scripted.Stall(TimeSpan.FromSeconds(1.5), new Scripted(200, EmptyList)));
        await using var server = RawStdio.Spawn(["--tools", "all", "--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl]);

        await server.SendAsync(RawStdio.Initialize, RawStdio.Initialized, Call(2, "list_customers"));
        server.Process.StandardInput.Close();

        await server.AnswerTo("\"init\"");
        AssertSucceeded(await server.AnswerTo("2"));
        Assert.Equal(0, await server.ExitCode());
        Assert.Single(stripe.Requests);
    }

    [Theory]
    [InlineData("serve", "--http", "--api-key", TestServer.TestKey)]
    [InlineData("serve", "--http", "--sandbox")]
    [InlineData("sandbox")]
    public async Task A_port_in_use_is_one_line_and_exit_2(params string[] args)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var server = RawStdio.Spawn([.. args, "--port", port.ToString()]);

        Assert.Equal(2, await server.ExitCode(30));
        var stdout = server.Rest();
        var lines = server.Stderr.Where(l => l.Trim().Length > 0).ToList();
        var line = Assert.Single(lines);
        Assert.Contains(port.ToString(), line);
        Assert.Contains("--port", line);
        Assert.DoesNotContain("Exception", line);
        Assert.Empty(stdout);
    }
}
