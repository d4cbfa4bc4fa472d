using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using StripeMcp.Cli;
using StripeMcp.Hosting;

namespace StripeMcp.Tests.Support;

/// <summary>
/// The server a command line starts, run in this test process by the program's own code (<see cref="CliApp.ServeAsync"/>:
/// the same parsing, loading, composition and transports) on pipes for stdin and stdout, a captured stderr and an
/// environment of its own. What only a process shows (signals, exit codes, real pipes and ports, the shipped builds)
/// is the whole-process suite's (<c>WholeProcess/</c>), which spawns the program instead.
/// </summary>
public sealed class InProcessServer : IAsyncDisposable
{
    private static readonly TimeSpan Ending = TimeSpan.FromSeconds(60);

    private readonly Pipe _stdin = new(), _stdout = new();
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Every line the server logged, as its stderr would have them.</summary>
    public ConcurrentQueue<string> Stderr { get; } = new();

    /// <summary>Its exit code, as the program's would be (the task faults where the program would crash).</summary>
    public Task<int> Exit { get; }

    /// <summary>What the client writes (the server's stdin) and reads (its stdout).</summary>
    public Stream Stdin { get; }
    public Stream Stdout { get; }

    /// <param name="onLine">Also told each stderr line as it is written (the HTTP harness waits for the listening line).</param>
    public InProcessServer(IEnumerable<string> args, Dictionary<string, string?>? env = null, Action<string>? onLine = null)
    {
        Stdin = _stdin.Writer.AsStream();
        Stdout = _stdout.Reader.AsStream();
        var vars = TestServer.CleanEnvironment(env);
        var errors = new LineWriter(line => { Stderr.Enqueue(line); onLine?.Invoke(line); });
        var io = new ProcessIo(() => _stdin.Reader.AsStream(), () => _stdout.Writer.AsStream(), errors,
            name => vars.TryGetValue(name, out var v) ? v : Environment.GetEnvironmentVariable(name), Signals: false);
        string[] line = [.. args];
        Exit = Task.Run(async () =>
        {
            try
            {
                return await CliApp.ServeAsync(line, io, _stop.Token);
            }
            finally
            {
                errors.Flush();
                await _stdout.Writer.CompleteAsync(); // as a process's stdout closes when it exits
            }
        });
    }

    /// <summary>What SIGTERM does to the program: stop taking work, let calls in flight finish.</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>Closes its stdin (a stdio server then ends), stops it if it has not ended, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stdin.Writer.CompleteAsync();
        if (await Task.WhenAny(Exit, Task.Delay(TimeSpan.FromSeconds(5))) != Exit) Stop();
        try
        {
            await Exit.WaitAsync(Ending);
        }
        finally
        {
            _stop.Dispose();
        }
    }

    /// <summary>A writer that hands on whole lines.</summary>
    private sealed class LineWriter(Action<string> onLine) : TextWriter
    {
        private readonly StringBuilder _line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void Write(string? value)
        {
            lock (_line)
            {
                var rest = (value ?? "").AsSpan();
                for (var nl = rest.IndexOf('\n'); nl >= 0; nl = rest.IndexOf('\n'))
                {
                    _line.Append(rest[..nl]);
                    onLine(_line.ToString().TrimEnd('\r'));
                    _line.Clear();
                    rest = rest[(nl + 1)..];
                }
                _line.Append(rest);
            }
        }

        public override void Flush()
        {
            lock (_line)
                if (_line.Length > 0) { onLine(_line.ToString()); _line.Clear(); }
        }
    }
}
