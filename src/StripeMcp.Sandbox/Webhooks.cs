using System.Collections.Concurrent;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>One delivery attempt of an event to a webhook endpoint, as the sandbox made it.</summary>
public sealed record WebhookAttempt(string EventId, string EventType, string Endpoint, string Url, int Attempt, int? Status, string? Error, DateTimeOffset At)
{
    public bool Delivered => Status is >= 200 and < 300;
}

/// <summary>
/// Sends events to the webhook endpoints that want them, as Stripe does: a JSON POST signed with the
/// endpoint's secret (<c>Stripe-Signature: t=…,v1=…</c>, HMAC-SHA256 of <c>"{t}.{payload}"</c>), retried on
/// anything but a 2xx on a bounded, compressed schedule (Stripe's spans three days), at least once; every
/// attempt recorded, and the event's <c>pending_webhooks</c> lowered as deliveries succeed.
/// </summary>
public sealed class Webhooks : IAsyncDisposable
{
    /// <summary>Every event type Stripe emits (Stripe.net's EventTypes): the only ones the sandbox emits or takes in enabled_events.</summary>
    public static readonly IReadOnlySet<string> EventTypes = typeof(Stripe.EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string)).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);

    private readonly SandboxState _state;
    private readonly IReadOnlyList<TimeSpan> _retries;
    private readonly Action<string>? _log;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly ConcurrentQueue<WebhookAttempt> _attempts = new();

    public Webhooks(SandboxState state, IReadOnlyList<TimeSpan> retries, Action<string>? log, HttpMessageHandler? handler = null)
    {
        (_state, _retries, _log) = (state, retries, log);
        _http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Stripe/1.0 (+https://stripe.com/docs/webhooks)");
    }

    public IReadOnlyList<WebhookAttempt> Attempts => [.. _attempts];

    /// <summary>The endpoints of this account that take this event type. Called under the state's lock.</summary>
    public static List<JsonObject> Subscribed(SandboxState state, string account, string type) =>
        [.. state.List(account, "webhook_endpoint").Where(e => Lists.Text(e["status"]) == "enabled"
            && e["enabled_events"]!.AsArray().Any(t => Lists.Text(t) is "*" || Lists.Text(t) == type))];

    /// <summary>Queues the event for each endpoint (under the state's lock; sending happens outside it).</summary>
    public void Deliver(string account, JsonObject evt, IReadOnlyList<JsonObject> endpoints)
    {
        if (_stop.IsCancellationRequested) return;
        var payload = evt.ToJsonString(Sandbox.Plain);
        foreach (var endpoint in endpoints)
        {
            var (id, url, secret) = (endpoint["id"]!.GetValue<string>(), endpoint["url"]!.GetValue<string>(), _state.WebhookSecrets[endpoint["id"]!.GetValue<string>()]);
            var task = Task.Run(() => SendAsync(account, evt["id"]!.GetValue<string>(), evt["type"]!.GetValue<string>(), id, url, secret, payload));
            _inFlight[task] = 0;
            task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    /// <summary>The header Stripe sends: t = Unix seconds, v1 = hex HMAC-SHA256 of "{t}.{payload}" under the endpoint's secret.</summary>
    public static string Signature(string secret, string payload, long timestamp)
    {
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{payload}"));
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }

    private async Task SendAsync(string account, string eventId, string type, string endpoint, string url, string secret, string payload)
    {
        for (var attempt = 1; attempt <= _retries.Count + 1; attempt++)
        {
            if (attempt > 1)
            {
                try { await Task.Delay(_retries[attempt - 2], _stop.Token); }
                catch (OperationCanceledException) { return; }
            }
            int? status = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
                request.Headers.Add("Stripe-Signature", Signature(secret, payload, DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
                using var response = await _http.SendAsync(request, _stop.Token);
                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                error = e is TaskCanceledException ? "timed out after 10 s" : e.Message;
            }
            var record = new WebhookAttempt(eventId, type, endpoint, url, attempt, status, error, DateTimeOffset.UtcNow);
            _attempts.Enqueue(record);
            var last = attempt == _retries.Count + 1;
            _log?.Invoke($"webhook {type} {eventId} → {Shown(url)}: attempt {attempt}, {(status is { } s ? $"HTTP {s}" : error)}"
                + (record.Delivered ? ", delivered" : last ? ", giving up" : $", retrying in {_retries[attempt - 1].TotalSeconds:0.###} s"));
            if (record.Delivered)
            {
                lock (_state.Lock)
                    if (_state.Find(account, "event", eventId) is { } evt) evt["pending_webhooks"] = Math.Max(0, evt["pending_webhooks"]!.Long() - 1);
                return;
            }
        }
    }

    /// <summary>A URL as logged: no user info, no query (either may carry a credential).</summary>
    private static string Shown(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? $"{u.Scheme}://{u.Authority}{u.AbsolutePath}" : "(an invalid URL)";

    /// <summary>Stops retrying; attempts in flight end with it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await Task.WhenAll(_inFlight.Keys).WaitAsync(TimeSpan.FromSeconds(5)); }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException) { }
        _http.Dispose();
        _stop.Dispose();
    }
}
