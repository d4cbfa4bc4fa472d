using StripeMcp.Hosting;

namespace StripeMcp.Http;

/// <summary>
/// A stop over HTTP: from the first signal every new request to /mcp is answered 503 "shutting_down" (the listener
/// stays open, so a client hears why rather than finding the port closed), while the POSTs in flight finish; the host
/// stops when none is left, or after <see cref="Shutdown.Grace"/>.
/// </summary>
internal sealed class Draining(CancellationToken requested)
{
    private int _posts;

    /// <summary>Cancelled when the stop is asked.</summary>
    public CancellationToken Requested => requested;

    /// <summary>Counts one POST as in flight until disposed.</summary>
    public IDisposable Post()
    {
        Interlocked.Increment(ref _posts);
        return new Done(this);
    }

    /// <summary>Waits until no POST is in flight, or <paramref name="grace"/> has passed.</summary>
    public async Task IdleAsync(TimeSpan grace)
    {
        var until = DateTime.UtcNow + grace;
        while (Volatile.Read(ref _posts) > 0 && DateTime.UtcNow < until) await Task.Delay(50);
    }

    private sealed class Done(Draining of) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) Interlocked.Decrement(ref of._posts);
        }
    }
}
