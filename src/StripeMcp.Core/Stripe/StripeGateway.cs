using System.Diagnostics;
using System.Text.Json;
using global::Stripe;
using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Tools;

namespace StripeMcp.Stripe;

/// <summary>
/// One request to Stripe. <paramref name="Template"/> is the path as its row names it
/// (<c>/v1/customers/{customer}</c>); <paramref name="Path"/> is the same with the ids filled in.
/// </summary>
internal sealed record StripeRequest(string Tool, HttpMethod Method, string Template, string Path, string Form, string? Account, string? IdempotencyKey);

/// <summary>What came back from one Stripe call: the parsed answer, or a failure already shaped for the agent.</summary>
/// <param name="Outcome">How it ended, in the audit trail's words (<see cref="Outcome"/>).</param>
/// <param name="Json">The error JSON for the agent, when the call failed.</param>
/// <summary>A read a check needed (a limit's lookup, the account behind the key) was refused by Stripe: the answer, to return to the agent as it is.</summary>
internal sealed class LookupFailed(StripeOutcome outcome) : Exception("lookup failed")
{
    public StripeOutcome Outcome { get; } = outcome;
}

internal sealed record StripeOutcome(string Outcome, string Json, string? RequestId, int? Status)
{
    /// <summary>Stripe's answer, a JSON object, when <see cref="Ok"/>.</summary>
    public JsonElement Body { get; init; }

    public bool Ok => Outcome == StripeMcp.Outcome.Ok;

    /// <summary>Stripe answered with its stored answer to an earlier request with the same idempotency key (Idempotent-Replayed: true).</summary>
    public bool Replayed { get; init; }

    /// <summary>Stripe refused the request with a 4xx: it was not applied, so nothing moved.</summary>
    public bool DefinitelyRefused => Outcome == StripeMcp.Outcome.StripeError && Status is >= 400 and < 500;
}

/// <summary>
/// The one way to Stripe. Every call goes through <see cref="SendAsync"/>: the path must still have its
/// row's shape, then Stripe.net's <see cref="StripeClient"/> with its retries, the Connect account the
/// policy chose, and on every POST the idempotency key the tool call chose (<see cref="NewIdempotencyKey"/>),
/// so all of Stripe.net's automatic retries of one tool call carry the same key and Stripe applies it at
/// most once. Each call is bounded by requestTimeoutSeconds; answers that cannot be Stripe's (see
/// <see cref="AnswerGuard"/>, and successes that are not one JSON object) become upstream errors.
/// </summary>
internal sealed class StripeGateway
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
            new HttpClient(new AnswerGuard()) { Timeout = TimeSpan.FromSeconds(80) },
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

    /// <summary>
    /// Why <paramref name="path"/> does not have the shape of <paramref name="template"/>, or null: the same
    /// literal segments, and in place of each <c>{name}</c> one segment an id may be. Defence in depth
    /// behind the id grammar: no argument can make a request reach an endpoint its row does not name.
    /// </summary>
    public static string? PathProblem(string template, string path)
    {
        var want = template.Split('/');
        var got = path.Split('/');
        if (want.Length != got.Length) return $"it has {got.Length - 1} segments, the row's path {want.Length - 1}";
        for (var i = 0; i < want.Length; i++)
        {
            var placeholder = want[i].StartsWith('{');
            if (placeholder ? !IdParam.IsSafeSegment(got[i]) : !string.Equals(want[i], got[i], StringComparison.Ordinal))
                return $"segment {i} is \"{LogText.Safe(got[i], 60)}\" where the row's path has {want[i]}";
        }
        return null;
    }


    /// <summary>Sends one request. Throws only <see cref="OperationCanceledException"/>, when <paramref name="ct"/> (the client) cancels.</summary>
    public async Task<StripeOutcome> SendAsync(StripeRequest request, CancellationToken ct)
    {
        var (tool, method, _, path, form, account, idempotencyKey) = request;
        if (PathProblem(request.Template, path) is { } bad)
        {
            _log.LogWarning("{Tool}: refused to send {Method} {Path}: {Problem}", tool, method.Method, LogText.Safe(path, 60), bad);
            return new StripeOutcome(Outcome.Denied, ErrorJson.Refused("path_refused",
                $"{tool}: refused to send {method.Method} {LogText.Safe(path, 60)}: {bad}; nothing was sent to Stripe."), null, null);
        }

        var requestOptions = new RawRequestOptions { StripeAccount = account, IdempotencyKey = idempotencyKey };
        var (target, body) = method == HttpMethod.Post ? (path, form) : (form.Length == 0 ? path : $"{path}?{form}", (string?)null);
        var started = Stopwatch.GetTimestamp();
        // A call may take at most requestTimeoutSeconds (retries included), on every transport. Enforced here,
        // where running out of time becomes an answer for the agent.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(_options.Http.RequestTimeoutSeconds));
        try
        {
            var response = await _client.Value.Client.RawRequestAsync(method, target, body, requestOptions, deadline.Token);
            if (_log.IsEnabled(LogLevel.Debug))
                _log.LogDebug("{Tool} {Method} {Path} -> {Status} {RequestId} in {Ms:F0} ms{Account}",
                tool, method.Method, path, (int)response.StatusCode, response.RequestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                account is null ? "" : $" for {account}");
            return Parse(request, (int)response.StatusCode, response.Content, AnswerGuard.ContentTypeOf(response.Headers), response.RequestId) with
            {
                Replayed = response.Headers.TryGetValues("Idempotent-Replayed", out var replayed) && replayed.Contains("true", StringComparer.OrdinalIgnoreCase),
            };
        }
        catch (UnusableAnswer e)
        {
            return Upstream(request, e, requestId: null);
        }
        catch (StripeException e) when (AnswerGuard.ContentTypeOf(e.StripeResponse?.Headers) is var type && !AnswerGuard.IsJson(type))
        {
            // Not Stripe's error: an error page from something in between (a proxy's HTML 502).
            var status = (int)e.HttpStatusCode;
            return Upstream(request, new UnusableAnswer(status, type, UnusableAnswer.ExcerptOf(e.StripeResponse?.Content ?? ""),
                $"answered HTTP {status} with {(type is null ? "no content type" : $"content type {type}")}, not JSON"), e.StripeResponse?.RequestId);
        }
        catch (StripeException e)
        {
            var requestId = e.StripeResponse?.RequestId;
            _log.LogWarning("{Tool} {Method} {Path} -> {Status} {ErrorType}/{ErrorCode} {RequestId} in {Ms:F0} ms",
                tool, method.Method, path, (int)e.HttpStatusCode, e.StripeError?.Type, e.StripeError?.Code, requestId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new StripeOutcome(Outcome.StripeError, ErrorJson.FromStripe(e, (int)e.HttpStatusCode >= 500 ? idempotencyKey : null), requestId, (int)e.HttpStatusCode);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            _log.LogWarning("{Tool} {Method} {Path} -> network failure after {Retries} retries: {Error}",
                tool, method.Method, path, _options.MaxNetworkRetries, e is OperationCanceledException ? "timed out" : e.Message);
            var timedOut = e is OperationCanceledException;
            return new StripeOutcome(Outcome.NetworkError,
                ErrorJson.Network(timedOut ? $"the request timed out: no answer within {_options.Http.RequestTimeoutSeconds} s, requestTimeoutSeconds" : e.Message,
                    _options.ApiBase, _options.MaxNetworkRetries, idempotencyKey), null, null);
        }
    }

    /// <summary>A 2xx answer: usable only as one JSON object that is not an error.</summary>
    private StripeOutcome Parse(StripeRequest request, int status, string content, string? contentType, string? requestId)
    {
        string? problem;
        try
        {
            var doc = JsonDocument.Parse(content);
            var root = doc.RootElement;
            problem = root.ValueKind != JsonValueKind.Object ? $"JSON that is {Param.Kind(root)}, not an object"
                : root.TryGetProperty("error", out _) ? "an error object, though the status says success"
                : null;
            if (problem is null) return new StripeOutcome(Outcome.Ok, "", requestId, status) { Body = root };
        }
        catch (JsonException e)
        {
            problem = content.Length == 0 ? "an empty body" : $"a body that is not valid JSON ({e.Message.Split(" Path:")[0]})";
        }
        return Upstream(request, new UnusableAnswer(status, contentType, UnusableAnswer.ExcerptOf(content),
            $"answered HTTP {status} (content type {contentType ?? "none"}) with {problem}"), requestId);
    }

    private StripeOutcome Upstream(StripeRequest request, UnusableAnswer e, string? requestId)
    {
        _log.LogWarning("{Tool} {Method} {Path} -> unusable answer: {Problem}", request.Tool, request.Method.Method, request.Path, e.Message);
        return new StripeOutcome(e.TooLarge ? Outcome.TooLarge : Outcome.UpstreamError,
            ErrorJson.Upstream(e, _options.ApiBase, request.IdempotencyKey, requestId), requestId, e.Status);
    }
}
