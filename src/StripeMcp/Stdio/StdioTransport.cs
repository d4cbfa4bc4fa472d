using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace StripeMcp.Stdio;

/// <summary>
/// MCP over stdin/stdout, one message a line, in place of the SDK's StreamServerTransport: that one counts
/// itself disconnected when stdin ends and from then on drops every answer silently, so the calls still in
/// flight were never answered; and it leaves unanswered the lines it cannot read. Here the end of stdin only
/// ends the reading: answers are written until the server is done. A line that is not a message gets its error
/// answer (<see cref="StdioInput"/>), written under the one lock every write takes. Once a stop is asked, new
/// requests are refused ("shutting down") while answers to the server's own requests (a confirmation) still
/// reach the calls waiting for them; the reading ends when no request is left unanswered.
/// </summary>
internal sealed class StdioTransport : TransportBase
{
    private const int ShuttingDown = -32000;

    private readonly Stream _output;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly ConcurrentDictionary<RequestId, byte> _unanswered = new();
    private readonly CancellationTokenSource _reading = new();
    private readonly CancellationTokenRegistration _onStop;
    private volatile bool _stopping;
    private bool _closed;

    public StdioTransport(Stream input, Stream output, ILoggerFactory loggerFactory, CancellationToken stop) : base("stdio", loggerFactory)
    {
        _output = output;
        _log = loggerFactory.CreateLogger<StdioTransport>();
        SetConnected();
        _ = Task.Run(() => ReadAsync(input));
        _onStop = stop.Register(() =>
        {
            _stopping = true;
            EndIfIdle();
        });
    }

    private async Task ReadAsync(Stream input)
    {
        Exception? error = null;
        try
        {
            using var reader = new StreamReader(input, new UTF8Encoding(false));
            // A read of stdin cannot be cancelled: on a stop it is left behind, and the process exits past it.
            while (await reader.ReadLineAsync().WaitAsync(_reading.Token) is { } line)
            {
                if (string.IsNullOrWhiteSpace(line)) continue;
                var message = StdioInput.Parse(line, out var refusal);
                if (message is null)
                {
                    _log.LogWarning("stdin: answered {Code}: {Problem}", refusal!.Error.Code, refusal.Error.Message);
                    await SendMessageAsync(refusal);
                    continue;
                }
                if (message is JsonRpcRequest request)
                {
                    if (_stopping)
                    {
                        await SendMessageAsync(new JsonRpcError { Id = request.Id, Error = new() { Code = ShuttingDown, Message = "The server is shutting down; the request was not run." } });
                        continue;
                    }
                    _unanswered[request.Id] = 0;
                }
                await WriteMessageAsync(message);
                // A cancelled request gets no answer (MCP): stop waiting for one.
                if (message is JsonRpcNotification { Method: NotificationMethods.CancelledNotification } cancelled && CancelledId(cancelled) is { } id)
                    Answered(id);
            }
        }
        catch (OperationCanceledException) when (_reading.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            error = e;
        }
        finally
        {
            SetDisconnected(error); // the SDK then finishes the calls in flight, whose answers are still written
        }
    }

    public override async Task SendMessageAsync(JsonRpcMessage message, CancellationToken cancellationToken = default)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(message, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage)));
        await _write.WaitAsync(cancellationToken);
        try
        {
            if (_closed) return;
            await _output.WriteAsync(json, cancellationToken);
            await _output.WriteAsync("\n"u8.ToArray(), cancellationToken);
            await _output.FlushAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new IOException("Failed to write to stdout.", e);
        }
        finally
        {
            _write.Release();
        }
        if (message is JsonRpcMessageWithId { Id: var id } and not JsonRpcRequest) Answered(id);
    }

    private void Answered(RequestId id)
    {
        if (_unanswered.TryRemove(id, out _)) EndIfIdle();
    }

    private void EndIfIdle()
    {
        if (_stopping && _unanswered.IsEmpty) _reading.Cancel();
    }

    private static RequestId? CancelledId(JsonRpcNotification n)
    {
        try
        {
            return n.Params?["requestId"] is { } id ? id.Deserialize(McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(RequestId))) as RequestId? : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _onStop.DisposeAsync();
        await _write.WaitAsync();
        try
        {
            if (_closed) return;
            _closed = true;
            await _reading.CancelAsync();
            await _output.FlushAsync();
            await _output.DisposeAsync();
        }
        finally
        {
            _write.Release();
            SetDisconnected();
        }
    }
}
