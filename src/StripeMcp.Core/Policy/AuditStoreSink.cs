using System.Threading.Channels;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using StripeMcp.State;

namespace StripeMcp.Policy;

/// <summary>
/// Appends each audit event to the state store's chain, as the same JSON line the --audit-log file gets.
/// In the background and in order, what queued within 25 ms appended in one transaction: a call never waits for
/// the store, and a store that fails is said once on stderr (the file and stderr copies are unaffected).
/// Disposing waits for what is queued.
/// </summary>
internal sealed class AuditStoreSink : ILogEventSink, IDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
    private const int MaxBatch = 500;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(25);
    private readonly Channel<AuditEntry> _queue = Channel.CreateUnbounded<AuditEntry>(new() { SingleReader = true });
    private readonly SafeLogFormatter _format = new(new CompactJsonFormatter());
    private readonly Task _writer;

    public AuditStoreSink(IStateStore store, Serilog.ILogger hostLog) =>
        _writer = Task.Run(() => WriteAsync(store, hostLog.ForContext(Serilog.Core.Constants.SourceContextPropertyName, "StripeMcp.Audit")));

    public void Emit(LogEvent e)
    {
        using var text = new StringWriter();
        _format.Format(e, text);
        _queue.Writer.TryWrite(new AuditEntry(text.ToString().TrimEnd('\r', '\n'), e.Timestamp));
    }

    private async Task WriteAsync(IStateStore store, Serilog.ILogger hostLog)
    {
        var failing = false;
        var batch = new List<AuditEntry>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            // Let a busy server's events gather: one transaction (one fsync) for many of them.
            if (!_queue.Reader.Completion.IsCompleted) await Task.Delay(Linger);
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var entry)) batch.Add(entry);
            try
            {
                await store.AppendAuditAsync(batch, CancellationToken.None);
                if (failing) hostLog.Information("Audit events are kept in the state store again");
                failing = false;
            }
            catch (StateUnavailable e)
            {
                if (!failing) hostLog.Warning("{Count} audit event(s) were not kept in the state store's audit chain ({Reason}); the --audit-log file and stderr still have them", batch.Count, e.Message);
                failing = true;
            }
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Wait(DrainTimeout);
    }
}
