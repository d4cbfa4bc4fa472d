using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// A stdio server (in this process, from its command line: <see cref="InProcessServer"/>), with the SDK's own client on it — and a second way in on the same
/// connection: <see cref="CallRawAsync"/> writes a tools/call whose arguments are given as exact JSON text.
/// The SDK client cannot send some hostile arguments at all (it unescapes every string, so a lone
/// surrogate "\uD800" throws, and it refuses to write JSON deeper than 64), so those go raw. Answers to
/// raw requests (ids "raw-N") are taken off stdout before the SDK client sees them; everything else
/// flows to the client untouched.
/// </summary>
public sealed class RawMcpServer : IAsyncDisposable
{
    private readonly InProcessServer _server;
    private readonly LineStream _stdin;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _pending = new();
    private readonly Task _pump;
    private readonly List<string> _stderr = [];
    private int _rawId;

    public McpClient Client { get; private set; } = null!;

    private RawMcpServer(IEnumerable<string> args, Pipe toClient)
    {
        _server = new InProcessServer(args, onLine: line => { lock (_stderr) _stderr.Add(line); });
        _stdin = new LineStream(_server.Stdin);
        _pump = Task.Run(() => PumpAsync(toClient.Writer));
    }

    /// <summary>Every stderr line so far, in order.</summary>
    public IReadOnlyList<string> Stderr
    {
        get { lock (_stderr) return [.. _stderr]; }
    }

    public int StderrCount
    {
        get { lock (_stderr) return _stderr.Count; }
    }

    public IReadOnlyList<string> StderrFrom(int index)
    {
        lock (_stderr) return _stderr.Skip(index).ToList();
    }

    public static async Task<RawMcpServer> StartAsync(FakeStripe stripe, params string[] args)
    {
        var pipe = new Pipe();
        var server = new RawMcpServer(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, .. args], pipe);
        var transport = new StreamClientTransport(server._stdin, pipe.Reader.AsStream());
        server.Client = await TestClient.ConnectAsync(transport, TestServer.Human());
        return server;
    }

    private async Task PumpAsync(PipeWriter toClient)
    {
        using var reader = new StreamReader(_server.Stdout, new UTF8Encoding(false));
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (RawId(line) is { } id && _pending.TryRemove(id, out var waiter))
                {
                    waiter.TrySetResult(line);
                    continue;
                }
                await toClient.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
            }
        }
        finally
        {
            await toClient.CompleteAsync();
            foreach (var w in _pending.Values) w.TrySetException(new IOException("server closed stdout"));
        }
    }

    private static string? RawId(string line)
    {
        if (!line.Contains("\"raw-", StringComparison.Ordinal)) return null;
        try
        {
            using var doc = JsonDocument.Parse(line, new JsonDocumentOptions { MaxDepth = 1024 });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String && id.GetString()!.StartsWith("raw-", StringComparison.Ordinal) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>tools/call with <paramref name="argumentsJson"/> written exactly as given (it must be a JSON object's text).</summary>
    /// <exception cref="RawRpcError">The server answered with a JSON-RPC error.</exception>
    /// <exception cref="TimeoutException">No answer within <paramref name="timeout"/>.</exception>
    public async Task<CallToolResult> CallRawAsync(string tool, string argumentsJson, TimeSpan timeout)
    {
        var id = $"raw-{Interlocked.Increment(ref _rawId)}";
        var waiter = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = waiter;
        var line = "{\"jsonrpc\":\"2.0\",\"id\":\"" + id + "\",\"method\":\"tools/call\",\"params\":{\"name\":" + JsonSerializer.Serialize(tool)
            + ",\"arguments\":" + argumentsJson + ",\"_meta\":" + Meta() + "}}";
        await _stdin.WriteLineAsync(line);
        var done = await Task.WhenAny(waiter.Task, Task.Delay(timeout));
        if (done != waiter.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"no answer to a raw tools/call within {timeout.TotalSeconds:F0} s");
        }
        var answer = await waiter.Task;
        using var doc = JsonDocument.Parse(answer, new JsonDocumentOptions { MaxDepth = 1024 });
        if (doc.RootElement.TryGetProperty("error", out var error)) throw new RawRpcError(error.GetRawText());
        return doc.RootElement.GetProperty("result").Deserialize<CallToolResult>(McpJsonUtilities.DefaultOptions)!;
    }

    /// <summary>
    /// The request _meta the SDK client itself sends on tools/call (newer protocol versions require the
    /// version there on every request), copied from its last one; or built from the negotiated version.
    /// </summary>
    private string Meta()
    {
        if (_stdin.LastToolCall is { } sdkLine)
        {
            using var doc = JsonDocument.Parse(sdkLine);
            if (doc.RootElement.TryGetProperty("params", out var p) && p.TryGetProperty("_meta", out var meta)) return meta.GetRawText();
        }
        return Client.NegotiatedProtocolVersion is { } v
            ? "{\"io.modelcontextprotocol/protocolVersion\":" + JsonSerializer.Serialize(v) + "}"
            : "{}";
    }

    public async ValueTask DisposeAsync()
    {
        try { await Client.DisposeAsync(); } catch (Exception) { /* the transport may already be closed */ }
        await _server.DisposeAsync();
        try { await _pump.WaitAsync(TimeSpan.FromSeconds(5)); } catch (Exception) { }
    }

    /// <summary>
    /// The server's stdin, shared by the SDK client and raw requests: bytes are held until a whole line
    /// (a whole JSON-RPC message) is there, then written at once, so the two never interleave inside a message.
    /// </summary>
    private sealed class LineStream(Stream inner) : Stream
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private readonly MemoryStream _partial = new();

        /// <summary>The last tools/call the SDK client wrote.</summary>
        public string? LastToolCall { get; private set; }

        public async Task WriteLineAsync(string line)
        {
            await _lock.WaitAsync();
            try
            {
                var bytes = Encoding.UTF8.GetBytes(line + "\n");
                await inner.WriteAsync(bytes);
                await inner.FlushAsync();
            }
            finally { _lock.Release(); }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                var rest = buffer;
                while (rest.Span.IndexOf((byte)'\n') is var nl and >= 0)
                {
                    _partial.Write(rest.Span[..(nl + 1)]);
                    var line = Encoding.UTF8.GetString(_partial.GetBuffer(), 0, (int)_partial.Length);
                    if (line.Contains("\"tools/call\"", StringComparison.Ordinal)) LastToolCall = line;
                    await inner.WriteAsync(_partial.GetBuffer().AsMemory(0, (int)_partial.Length), cancellationToken);
                    await inner.FlushAsync(cancellationToken);
                    _partial.SetLength(0);
                    rest = rest[(nl + 1)..];
                }
                _partial.Write(rest.Span);
            }
            finally { _lock.Release(); }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public override void Flush() { }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
