using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A stdio server with raw pipes: lines written to its stdin as given, every stdout line kept as JSON-RPC text,
/// stderr kept. <see cref="Start"/> runs it in this process (<see cref="InProcessServer"/>); <see cref="Spawn"/> starts
/// the executable, whose exit code the test can read and to whose process id it can send POSIX signals.
/// </summary>
public sealed class RawStdio : IAsyncDisposable
{
    public const int SIGINT = 2, SIGTERM = 15;

    public const string Initialize = """{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{}},"clientInfo":{"name":"raw","version":"1"}}}""";
    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    private readonly BlockingCollection<string> _stdout = [];
    private readonly List<string> _seen = [];

    private readonly Process? _process;
    private readonly InProcessServer? _inProcess;
    private readonly StreamWriter _stdin;

    /// <summary>The spawned server's process.</summary>
    public Process Process => _process ?? throw new InvalidOperationException("an in-process server has no process: Spawn starts one");
    public ConcurrentQueue<string> Stderr { get; }

    private RawStdio(Process process)
    {
        (_process, Stderr) = (process, new());
        _stdin = process.StandardInput;
    }

    private RawStdio(InProcessServer server)
    {
        (_inProcess, Stderr) = (server, server.Stderr);
        _stdin = new StreamWriter(server.Stdin, new UTF8Encoding(false));
        _ = Task.Run(async () =>
        {
            using var reader = new StreamReader(server.Stdout, new UTF8Encoding(false));
            while (await reader.ReadLineAsync() is { } line) _stdout.Add(line);
            _stdout.CompleteAdding();
        });
    }

    /// <summary>The server in this process, from this command line.</summary>
    public static RawStdio Start(IEnumerable<string> args, Dictionary<string, string?>? env = null) => new(new InProcessServer(args, env));

    /// <summary>The executable (or the build STRIPE_MCP_TEST_SERVER names), started as a process.</summary>
    public static RawStdio Spawn(IEnumerable<string> args)
    {
        var psi = TestServer.StartInfo(args);
        psi.StandardOutputEncoding = new UTF8Encoding(false);
        psi.StandardErrorEncoding = new UTF8Encoding(false);
        var raw = new RawStdio(Process.Start(psi)!);
        raw.Process.ErrorDataReceived += (_, e) => { if (e.Data is not null) raw.Stderr.Enqueue(e.Data); };
        raw.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) raw._stdout.CompleteAdding();
            else raw._stdout.Add(e.Data);
        };
        raw.Process.BeginErrorReadLine();
        raw.Process.BeginOutputReadLine();
        return raw;
    }

    public async Task SendAsync(params string[] lines)
    {
        foreach (var line in lines) await _stdin.WriteAsync(line + "\n");
        await _stdin.FlushAsync();
    }

    /// <summary>initialize, its answer, then notifications/initialized.</summary>
    public async Task HandshakeAsync()
    {
        await SendAsync(Initialize);
        await AnswerTo("\"init\"");
        await SendAsync(Initialized);
    }

    /// <summary>The next stdout line (in order) that <paramref name="match"/> accepts; earlier ones stay readable via <see cref="Seen"/>.</summary>
    public async Task<JsonElement> Next(Func<JsonElement, bool> match, int seconds = 30) =>
        JsonDocument.Parse(await NextLine(line => match(JsonDocument.Parse(line).RootElement), seconds)).RootElement;

    /// <summary>The next stdout line as text (any text: `stripe-mcp sandbox` prints its URL).</summary>
    public Task<string> NextLine(Func<string, bool>? match = null, int seconds = 30) => Task.Run(() =>
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            foreach (var line in _stdout.GetConsumingEnumerable(timeout.Token))
            {
                lock (_seen) _seen.Add(line);
                if (match is null || match(line)) return line;
            }
        }
        catch (OperationCanceledException) { }
        throw new TimeoutException($"no such line on stdout within {seconds} s; seen:\n{string.Join("\n", Seen)}\nstderr:\n{string.Join("\n", Stderr)}");
    });

    /// <summary>The answer (result or error) whose id is <paramref name="idJson"/> as JSON text: 2, "init", null.</summary>
    public Task<JsonElement> AnswerTo(string idJson, int seconds = 30) =>
        Next(m => m.TryGetProperty("id", out var id) && id.GetRawText() == idJson && !m.TryGetProperty("method", out _), seconds);

    /// <summary>Every stdout line read so far.</summary>
    public IReadOnlyList<string> Seen
    {
        get { lock (_seen) return [.. _seen]; }
    }

    /// <summary>Every stdout line, after the process has closed it.</summary>
    public List<string> Rest()
    {
        var rest = _stdout.GetConsumingEnumerable().ToList();
        lock (_seen) _seen.AddRange(rest);
        return rest;
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(Process.Id, signal));

    public async Task<int> ExitCode(int seconds = 15)
    {
        if (_inProcess is not null)
        {
            await _stdin.DisposeAsync();
            return await _inProcess.Exit.WaitAsync(TimeSpan.FromSeconds(seconds));
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await Process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { Assert.Fail($"still running {seconds} s later; stderr:\n{string.Join("\n", Stderr)}"); }
        return Process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null)
        {
            await _inProcess.DisposeAsync();
            return;
        }
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
    }
}
