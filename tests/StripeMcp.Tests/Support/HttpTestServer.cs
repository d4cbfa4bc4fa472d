using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A stripe-mcp server serving Streamable HTTP (`serve --http --port 0`): the port it got is read from its start-up
/// log line. <see cref="StartAsync(IEnumerable{string}, Dictionary{string, string?}?, int)"/> runs it in this process
/// (<see cref="InProcessServer"/>); <see cref="SpawnAsync"/> starts the executable, for the whole-process suite, which
/// also sees its stdout and can signal it. Its stderr is kept so tests can assert on logs.
/// </summary>
public sealed partial class HttpTestServer : IAsyncDisposable
{
    private readonly Process? _process;
    private readonly InProcessServer? _inProcess;

    /// <summary>The server's base address, e.g. http://127.0.0.1:41234 (MCP is at Url + "/mcp").</summary>
    public string Url { get; }
    public ConcurrentQueue<string> Stderr { get; }

    /// <summary>The spawned server's stdout (the whole-process suite checks it stays empty).</summary>
    public ConcurrentQueue<string> Stdout { get; }

    /// <summary>The spawned server's process, for tests that signal it and wait for its exit.</summary>
    public Process Process => _process ?? throw new InvalidOperationException("an in-process server has no process: SpawnAsync starts one");

    private HttpTestServer(string url, ConcurrentQueue<string> stderr, ConcurrentQueue<string> stdout, Process? process, InProcessServer? inProcess) =>
        (Url, Stderr, Stdout, _process, _inProcess) = (url, stderr, stdout, process, inProcess);

    [GeneratedRegex(@"Streamable HTTP at (http://\S+?)/mcp")]
    private static partial Regex Listening();

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private static string[] Line(IEnumerable<string> args, int port) =>
        ["serve", "--http", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. args];

    /// <summary>The server in this process.</summary>
    /// <param name="port">0: any free port (read from the log); a test that must know the URL before (an OAuth resource URI) picks one.</param>
    public static async Task<HttpTestServer> StartAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, int port = 0)
    {
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = new InProcessServer(Line(args, port), env, line => { if (Listening().Match(line) is { Success: true } m) url.TrySetResult(m.Groups[1].Value); });
        _ = server.Exit.ContinueWith(_ => url.TrySetException(new InvalidOperationException("the server ended before listening:\n" + string.Join("\n", server.Stderr))),
            TaskScheduler.Default);
        try
        {
            return new HttpTestServer(await url.Task.WaitAsync(StartTimeout), server.Stderr, new(), null, server);
        }
        catch
        {
            server.Stop();
            try { await server.DisposeAsync(); } catch { /* the start's own error says more */ }
            throw;
        }
    }

    /// <summary>The executable (or the build STRIPE_MCP_TEST_SERVER names), started as a process.</summary>
    public static async Task<HttpTestServer> SpawnAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, int port = 0)
    {
        var psi = TestServer.StartInfo(Line(args, port));
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
            return new HttpTestServer(await url.Task.WaitAsync(StartTimeout), stderr, stdout, process, null);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Starts the server in this process against <paramref name="stripe"/> with a test key and the given extra arguments.</summary>
    public static Task<HttpTestServer> StartAsync(FakeStripe stripe, string[] args, Dictionary<string, string?>? env = null, int port = 0) =>
        StartAsync(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, .. args], env, port);

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            _inProcess.Stop();
            await _inProcess.DisposeAsync();
            return;
        }
        if (!_process!.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
