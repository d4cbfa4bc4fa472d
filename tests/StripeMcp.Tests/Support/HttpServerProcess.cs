using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StripeMcp.Tests.Support;

/// <summary>
/// The real stripe-mcp executable serving Streamable HTTP (`serve --http --port 0`): the port it got is
/// read from its start-up log line. Its stderr and stdout are kept so tests can assert on logs (and that
/// stdout stays empty).
/// </summary>
public sealed partial class HttpServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234 (MCP is at Url + "/mcp").</summary>
    public string Url { get; }
    public ConcurrentQueue<string> Stderr { get; }
    public ConcurrentQueue<string> Stdout { get; }

    /// <summary>The server's process, for tests that signal it and wait for its exit.</summary>
    public Process Process => _process;

    private HttpServerProcess(Process process, string url, ConcurrentQueue<string> stderr, ConcurrentQueue<string> stdout) =>
        (_process, Url, Stderr, Stdout) = (process, url, stderr, stdout);

    [GeneratedRegex(@"Streamable HTTP at (http://\S+?)/mcp")]
    private static partial Regex Listening();

    /// <param name="port">0: any free port (read from the log); a test that must know the URL before (an OAuth resource URI) picks one.</param>
    public static async Task<HttpServerProcess> StartAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, int port = 0)
    {
        var psi = ServerProcess.StartInfo(["serve", "--http", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args]);
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var stderr = new ConcurrentQueue<string>();
        var stdout = new ConcurrentQueue<string>();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) { url.TrySetException(new InvalidOperationException("the server exited before listening:\n" + string.Join("\n", stderr))); return; }
            stderr.Enqueue(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) url.TrySetResult(m.Groups[1].Value);
        };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) stdout.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            return new HttpServerProcess(process, await url.Task.WaitAsync(TimeSpan.FromSeconds(120)), stderr, stdout);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server against <paramref name="stripe"/> with a test key and the given extra arguments.</summary>
    public static Task<HttpServerProcess> StartAsync(FakeStripe stripe, string[] args, Dictionary<string, string?>? env = null, int port = 0) =>
        StartAsync(["--api-key", ServerProcess.TestKey, "--stripe-api-base", stripe.BaseUrl, .. args], env, port);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
