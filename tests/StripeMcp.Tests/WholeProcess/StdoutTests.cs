using System.Diagnostics;
using System.Text.Json;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>In stdio mode stdout is the protocol: every byte on it is a JSON-RPC message, logs included nowhere.</summary>
public sealed class StdoutTests
{
    [Fact]
    public async Task Only_json_rpc_reaches_stdout_and_logs_reach_stderr()
    {
        await using var stripe = await FakeStripe.StartAsync();
        using var p = Process.Start(TestServer.StartInfo(["--tools", "all", "--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--log-level", "trace"]))!;
        var stderr = p.StandardError.ReadToEndAsync();

        await p.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
        await p.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await p.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_customers","arguments":{"limit":1}}}""");
        await p.StandardInput.FlushAsync();

        var lines = new List<string>();
        while (lines.Count < 2)
        {
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.NotNull(line);
            lines.Add(line);
        }
        p.StandardInput.Close();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        lines.AddRange((await p.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));

        foreach (var line in lines)
            Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString());
        var log = await stderr;
        Assert.Contains("list_customers GET /v1/customers -> 200", log);
        Assert.DoesNotContain(TestServer.TestKey[8..], log);
    }
}
