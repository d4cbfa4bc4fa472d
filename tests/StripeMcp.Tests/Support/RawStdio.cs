using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace StripeMcp.Tests.Support;

/// <summary>
/// The real executable with raw pipes: lines written to its stdin as given, every stdout line kept as
/// JSON-RPC text, stderr kept, and POSIX signals sent to its process id.
/// </summary>
public sealed class RawStdio : IAsyncDisposable
{
    public const int SIGINT = 2, SIGTERM = 15;

    public const string Initialize = """{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{"elicitation":{}},"clientInfo":{"name":"raw","version":"1"}}}""";
    public const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";

    private readonly BlockingCollection<string> _stdout = [];
    private readonly List<string> _seen = [];

    public Process Process { get; }
    public ConcurrentQueue<string> Stderr { get; } = new();

    private RawStdio(Process process) => Process = process;

    public static RawStdio Start(IEnumerable<string> args)
    {
        var psi = ServerProcess.StartInfo(args);
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
        foreach (var line in lines) await Process.StandardInput.WriteAsync(line + "\n");
        await Process.StandardInput.FlushAsync();
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try { await Process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException) { Assert.Fail($"still running {seconds} s later; stderr:\n{string.Join("\n", Stderr)}"); }
        return Process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);

    public ValueTask DisposeAsync()
    {
        if (!Process.HasExited) Process.Kill(entireProcessTree: true);
        Process.Dispose();
        return ValueTask.CompletedTask;
    }
}
