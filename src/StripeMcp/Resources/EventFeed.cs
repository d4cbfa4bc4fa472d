using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using StripeMcp.Stripe;

namespace StripeMcp.Resources;

/// <summary>
/// Who is told when new events arrive (clients subscribed to <see cref="RecentUri"/>), and where the news comes from.
/// With a webhook receiver, the receiver says so (<see cref="ArrivedAsync"/>) when it keeps a new event. Without one
/// (stdio, or HTTP with no signing secret), the feed polls Stripe's newest event while anyone listens and tells the
/// listeners when it changes. A notification carries no data, only the URI: what a listener then reads goes through
/// its own policy's tools, gate and audit.
/// </summary>
internal sealed class EventFeed : IAsyncDisposable
{
    public const string RecentUri = "stripe://events/recent";

    /// <summary>At most this many listeners at once, across sessions and tokens; one more is refused.</summary>
    public const int MaxListeners = 256;

    /// <summary>At most this many of them for one caller (an HTTP token or OAuth subject), so one cannot hold every slot.</summary>
    public const int MaxPerCaller = 16;

    private readonly ConcurrentDictionary<object, string> owners = new();

    private readonly ConcurrentDictionary<object, Func<CancellationToken, Task>> listeners = new();
    private readonly Func<CancellationToken, Task<string?>>? newest;
    private readonly TimeSpan interval;
    private readonly ILogger log;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private Task? polling;

    /// <param name="newest">The newest event's id as Stripe has it, for polling; null when a receiver feeds this.</param>
    private EventFeed(Func<CancellationToken, Task<string?>>? newest, TimeSpan interval, ILogger log) =>
        (this.newest, this.interval, this.log) = (newest, interval, log);

    /// <summary>Fed by this server's webhook receiver.</summary>
    public static EventFeed FromReceiver(ILogger log) => new(null, TimeSpan.Zero, log);

    /// <summary>
    /// Fed by polling GET /v1/events?limit=1 as the server's own account, not audited (it reads no object for anyone,
    /// it only notices that one is new). Every second on the local sandbox, every 15 s on Stripe (far under its rate limits).
    /// </summary>
    public static EventFeed Polling(StripeGateway gateway, string? account, bool sandbox, ILogger log) => new(async ct =>
    {
        var outcome = await gateway.SendAsync(new StripeRequest("events feed", HttpMethod.Get, "/v1/events", "/v1/events", "limit=1", account, null), ct);
        if (!outcome.Ok) throw new InvalidOperationException($"polling /v1/events failed: HTTP {outcome.Status?.ToString() ?? "(no answer)"}");
        return outcome.Body.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
            && data[0].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
    }, TimeSpan.FromSeconds(sandbox ? 1 : 15), log);

    public bool Polls => newest is not null;

    public int Listeners => listeners.Count;

    /// <summary>Tells <paramref name="notify"/> of new events until the returned handle is disposed; null when <see cref="MaxListeners"/> are listening already.</summary>
    /// <param name="caller">Whose listener it is (null: the only caller, stdio), for <see cref="MaxPerCaller"/>.</param>
    public IDisposable? Listen(object key, Func<CancellationToken, Task> notify, string? caller = null)
    {
        lock (gate)
        {
            if (!listeners.ContainsKey(key) && listeners.Count >= MaxListeners) return null;
            if (caller is not null && !listeners.ContainsKey(key) && owners.Count(o => o.Value == caller && listeners.ContainsKey(o.Key)) >= MaxPerCaller) return null;
            if (caller is not null) owners[key] = caller;
            listeners[key] = notify;
            if (newest is not null && polling is null && !stopping.IsCancellationRequested) polling = Task.Run(() => PollAsync(stopping.Token));
        }
        return new Handle(() => Stop(key));
    }

    public void Stop(object key)
    {
        listeners.TryRemove(key, out _);
        owners.TryRemove(key, out _);
    }

    private int _requests;

    /// <summary>
    /// New events: every listener is told, all at once; one that cannot be reached within 10 s is dropped. News that
    /// arrives while listeners are being told is told once more after, not once per event.
    /// </summary>
    public async Task ArrivedAsync()
    {
        if (Interlocked.Increment(ref _requests) != 1) return; // a round is under way: it goes round once more
        do
        {
            Interlocked.Exchange(ref _requests, 1);
            await Task.WhenAll(listeners.Select(async p =>
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await p.Value(timeout.Token).WaitAsync(timeout.Token);
                }
                catch (Exception e)
                {
                    Stop(p.Key);
                    log.LogDebug("events feed: a listener was dropped ({Why})", e.Message);
                }
            }));
        }
        while (Interlocked.CompareExchange(ref _requests, 0, 1) != 1);
    }

    private async Task PollAsync(CancellationToken ct)
    {
        string? seen = null;
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            lock (gate)
                if (listeners.IsEmpty) { polling = null; return; } // under the lock Listen starts a loop with
            try
            {
                var id = await newest!(ct);
                if (!first && id is not null && id != seen) await ArrivedAsync();
                (seen, first) = (id ?? seen, false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                log.LogWarning("events feed: {Why}; trying again in {Seconds} s", LogText.Safe(e.Message, 200), interval.TotalSeconds);
            }
            try
            {
                await Task.Delay(interval, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        Task? running;
        lock (gate) running = polling;
        if (running is not null) await running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        // Not disposed: a subscription racing the shutdown still reads its token (and starts nothing: it is cancelled).
    }

    private sealed class Handle(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
