using System.Diagnostics;
using System.Net;
using global::Stripe;
using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;

namespace StripeMcp.Stripe;

/// <summary>What came back from one Stripe call: the raw JSON body, or a failure already shaped for the agent.</summary>
public sealed record StripeOutcome(bool Ok, string Json, string? RequestId, int? Status)
{
    /// <summary>No HTTP answer at all (Stripe unreachable, timed out).</summary>
    public bool NetworkFailure => !Ok && Status is null;
}

/// <summary>
/// The one way to Stripe. Every call goes through <see cref="SendAsync"/>: Stripe.net's
/// <see cref="StripeClient"/> with its retries, the Connect account the policy chose, and on every
/// POST the idempotency key the tool call chose (<see cref="NewIdempotencyKey"/>), so all of
/// Stripe.net's automatic retries of one tool call carry the same key and Stripe applies it at most once.
/// </summary>
public sealed class StripeGateway
{
    // Created on the first call: loading Stripe.net costs tens of milliseconds and megabytes the `initialize`
    // answer does not need. (A holder class, so not even the type is loaded before then.)
    private readonly Lazy<Connection> _client;

    private sealed class Connection(StripeClient client)
    {
        public StripeClient Client { get; } = client;
    }
    private readonly ServerOptions _options;
    private readonly ILogger<StripeGateway> _log;

    public StripeGateway(ServerOptions options, ILogger<StripeGateway> log)
    {
        _options = options;
        _log = log;
        _client = new Lazy<Connection>(() => new Connection(Create(options)));
    }

    private static StripeClient Create(ServerOptions options)
    {
        var http = new SystemNetHttpClient(
            new HttpClient { Timeout = TimeSpan.FromSeconds(80) },
            options.MaxNetworkRetries,
            new AppInfo { Name = "stripe-mcp", Version = ThisAssembly.Version },
            enableTelemetry: false);
        return new StripeClient(new StripeClientOptions
        {
            // Stripe.net refuses to build a client without a key; `tools` and `config validate` never send.
            ApiKey = options.ApiKey ?? "sk_test_unset",
            ApiBase = options.ApiBase,
            ConnectBase = options.ApiBase,
            FilesBase = options.ApiBase,
            MeterEventsBase = options.ApiBase,
            HttpClient = http,
        });
    }

    public static string NewIdempotencyKey() => $"stripe-mcp-{Guid.NewGuid():N}";

    /// <param name="account">The Stripe-Account for this call (already checked by the policy), or null for the platform.</param>
    /// <param name="idempotencyKey">For a POST, the key of this tool call (kept across retries); null for reads.</param>
    public async Task<StripeOutcome> SendAsync(string tool, HttpMethod method, string path, string form, string? account, string? idempotencyKey, CancellationToken ct)
    {
        var requestOptions = new RawRequestOptions { StripeAccount = account, IdempotencyKey = idempotencyKey };
        var (target, body) = method == HttpMethod.Post ? (path, form) : (form.Length == 0 ? path : $"{path}?{form}", (string?)null);
        var started = Stopwatch.GetTimestamp();
        // Over HTTP, a call may take at most requestTimeoutSeconds (retries included). Enforced here, where
        // running out of time becomes an answer for the agent; a timeout of the HTTP request itself could
        // only cut off the response stream the MCP SDK has already opened.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (_options.Http.Enabled) deadline.CancelAfter(TimeSpan.FromSeconds(_options.Http.RequestTimeoutSeconds));
        try
        {
            var response = await _client.Value.Client.RawRequestAsync(method, target, body, requestOptions, deadline.Token);
            if (_log.IsEnabled(LogLevel.Debug))
                _log.LogDebug("{Tool} {Method} {Path} -> {Status} {RequestId} in {Ms:F0} ms{Account}",
                tool, method.Method, path, (int)response.StatusCode, response.RequestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                account is null ? "" : $" for {account}");
            return new StripeOutcome(true, response.Content, response.RequestId, (int)response.StatusCode);
        }
        catch (StripeException e)
        {
            var requestId = e.StripeResponse?.RequestId;
            _log.LogWarning("{Tool} {Method} {Path} -> {Status} {ErrorType}/{ErrorCode} {RequestId} in {Ms:F0} ms",
                tool, method.Method, path, (int)e.HttpStatusCode, e.StripeError?.Type, e.StripeError?.Code, requestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new StripeOutcome(false, ErrorJson.FromStripe(e), requestId, (int)e.HttpStatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            _log.LogWarning("{Tool} {Method} {Path} -> network failure after {Retries} retries: {Error}",
                tool, method.Method, path, _options.MaxNetworkRetries, Redactor.Redact(e.Message));
            return new StripeOutcome(false, ErrorJson.Network(e, _options.ApiBase, _options.MaxNetworkRetries, idempotencyKey), null, null);
        }
    }
}
