using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StripeMcp.Sandbox.Resources;

namespace StripeMcp.Sandbox;

public sealed record SandboxOptions
{
    /// <summary>0 picks a free port.</summary>
    public int Port { get; init; }
    public bool Seed { get; init; }
    public int RandomSeed { get; init; } = 42;
    /// <summary>The id of the account behind the key (GET /v1/account): another id plays another Stripe account.</summary>
    public string PlatformAccount { get; init; } = Resources.Connect.PlatformId;
    public FaultOptions Faults { get; init; } = new();
    /// <summary>Waits between webhook delivery attempts (after the first); Stripe's own schedule spans three days.</summary>
    public IReadOnlyList<TimeSpan> WebhookRetries { get; init; } = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(16)];
    /// <summary>Where the sandbox says what it did that no answer shows (webhook deliveries); null: silent.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// An in-memory stand-in for Stripe's v1 API in test mode, on 127.0.0.1: form-encoded requests,
/// JSON answers in Stripe's shapes, Bearer test keys, Stripe-Account scoping, idempotency keys,
/// Stripe's error envelope, and fault injection. Stateful: what you create, you can list.
/// </summary>
public sealed partial class Sandbox : IAsyncDisposable
{
    public const string ApiVersion = "2026-10-28.endive";

    private readonly WebApplication _app;
    private readonly Router _router;

    private int _requests, _replays, _faults;

    /// <summary>Counters for reliability tests: /v1 requests seen, idempotent replays served, faults injected.</summary>
    public (int Requests, int Replays, int Faults) Counters => (_requests, _replays, _faults);

    public SandboxState State { get; }
    public FaultOptions Faults { get; }
    public string BaseUrl { get; }

    private Sandbox(WebApplication app, SandboxState state, FaultOptions faults, string baseUrl, Router router) =>
        (_app, State, Faults, BaseUrl, _router) = (app, state, faults, baseUrl, router);

    public static async Task<Sandbox> StartAsync(SandboxOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SandboxOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
        // Signals belong to the process that hosts the sandbox (its default console lifetime would swallow them),
        // and when it stops, requests in flight get a few seconds to be answered.
        builder.Services.AddSingleton<IHostLifetime, NoSignals>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var app = builder.Build();
        Sandbox? self = null;
        app.Run(ctx => self!.HandleAsync(ctx));
        try
        {
            await app.StartAsync(ct);
        }
        catch
        {
            await app.DisposeAsync(); // e.g. the port is in use: the caller reports it
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var state = new SandboxState(options.RandomSeed) { PlatformAccount = options.PlatformAccount };
        state.Webhooks = new Webhooks(state, options.WebhookRetries, options.Log);
        self = new Sandbox(app, state, options.Faults, address.Replace("[::1]", "127.0.0.1"), Routes());
        if (options.Seed) DemoData.Seed(self);
        return self;
    }

    private static Router Routes()
    {
        var r = new Router();
        Core.Register(r);
        Payments.Register(r);
        Billing.Register(r);
        Connect.Register(r);
        WebhookEndpoints.Register(r);
        return r;
    }

    /// <summary>Runs one request in-process, as if it came over HTTP (used to seed data).</summary>
    public JsonObject Execute(string method, string path, string form = "", string account = SandboxState.Platform)
    {
        if (method == "GET" && form.Length > 0 && !form.StartsWith('?')) form = "?" + form;
        var (status, body) = Dispatch(method, path, form, account, "req_seed", null);
        return status == 200 ? (JsonObject)JsonNode.Parse(body)! : throw new InvalidOperationException($"{method} {path}: {body}");
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var requestId = $"req_{Guid.NewGuid():N}"[..18];
        ctx.Response.Headers["Request-Id"] = requestId;
        ctx.Response.Headers["Stripe-Version"] = ctx.Request.Headers["Stripe-Version"].FirstOrDefault() ?? ApiVersion;
        var path = ctx.Request.Path.Value ?? "/";
        var method = ctx.Request.Method;

        if (!path.StartsWith("/v1/", StringComparison.Ordinal))
        {
            await Write(ctx, 404, Router.NotFound(method, path).ToJson().ToJsonString(Plain));
            return;
        }

        var key = KeyOf(ctx.Request.Headers.Authorization.FirstOrDefault() ?? "");
        if (!TestKey().IsMatch(key))
        {
            var shown = key.Length > 8 ? $"{key[..8]}****{key[^4..]}" : "(none)";
            var message = key.Length == 0
                ? "You did not provide an API key. Give it in the Authorization header, as Bearer auth ('Authorization: Bearer sk_test_…') or as Basic auth's user name with no password (curl -u sk_test_…:)."
                : $"Invalid API Key provided: {shown}. The sandbox accepts test keys only (sk_test_… or rk_test_…).";
            await Write(ctx, 401, new StripeError(401, "invalid_request_error", message).ToJson().ToJsonString(Plain));
            return;
        }

        Interlocked.Increment(ref _requests);
        var fault = Faults.Next();
        if (fault != Fault.None) Interlocked.Increment(ref _faults);
        switch (fault)
        {
            case Fault.RateLimit:
                ctx.Response.Headers["Stripe-Should-Retry"] = "true";
                await Write(ctx, 429, new StripeError(429, "invalid_request_error", "Too many requests hit the API too quickly (injected by the sandbox).", "rate_limit").ToJson().ToJsonString(Plain));
                return;
            case Fault.ServerError:
                await Write(ctx, 500, new StripeError(500, "api_error", "Something went wrong on Stripe's end (injected by the sandbox).").ToJson().ToJsonString(Plain));
                return;
            case Fault.Unavailable:
                await Write(ctx, 503, new StripeError(503, "api_error", "Service unavailable (injected by the sandbox).").ToJson().ToJsonString(Plain));
                return;
            case Fault.Reset:
                ctx.Abort();
                return;
            case Fault.Stall:
                await Task.Delay(Faults.Stall, ctx.RequestAborted).ContinueWith(_ => { });
                if (ctx.RequestAborted.IsCancellationRequested) return;
                break;
        }

        string form;
        if (method == "POST")
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            form = await reader.ReadToEndAsync();
        }
        else form = ctx.Request.QueryString.Value ?? "";

        var account = ctx.Request.Headers["Stripe-Account"].FirstOrDefault() ?? SandboxState.Platform;
        var idempotencyKey = method == "POST" ? ctx.Request.Headers["Idempotency-Key"].FirstOrDefault() : null;
        var (status, body, replayed) = DispatchIdempotent(method, path, form, account, requestId, idempotencyKey);
        if (replayed)
        {
            ctx.Response.Headers["Idempotent-Replayed"] = "true";
            Interlocked.Increment(ref _replays);
        }
        if (idempotencyKey is not null) ctx.Response.Headers["Idempotency-Key"] = idempotencyKey;

        switch (fault)
        {
            case Fault.ServerErrorAfter:
                await Write(ctx, 500, new StripeError(500, "api_error", "Something went wrong on Stripe's end after the request was applied (injected by the sandbox).").ToJson().ToJsonString(Plain));
                return;
            case Fault.ResetAfter:
                ctx.Abort();
                return;
        }
        await Write(ctx, status, body);
    }

    private (int Status, string Body, bool Replayed) DispatchIdempotent(string method, string path, string form, string account, string requestId, string? key)
    {
        if (key is null)
        {
            var (s, b) = Dispatch(method, path, form, account, requestId, null);
            return (s, b, false);
        }
        lock (State.Lock)
        {
            var fingerprint = $"{method} {path}?{form}";
            if (State.Idempotency.TryGetValue((account, key), out var saved))
            {
                if (saved.Fingerprint == fingerprint) return (saved.Status, saved.Body, true);
                var error = new StripeError(400, "idempotency_error",
                    $"Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '{key}' if you meant to execute a different request.");
                return (400, error.ToJson().ToJsonString(Plain), false);
            }
            var (status, body) = Dispatch(method, path, form, account, requestId, key);
            // Like Stripe: a request that failed validation is not saved; one that ran (succeeded or was declined) is.
            if (status is 200 or 402) State.Idempotency[(account, key)] = (fingerprint, status, body);
            return (status, body, false);
        }
    }

    private (int Status, string Body) Dispatch(string method, string path, string form, string account, string requestId, string? key)
    {
        lock (State.Lock)
        {
            try
            {
                if (!State.AccountExists(account))
                    return (403, new StripeError(403, "invalid_request_error",
                        $"The provided key does not have access to account '{account}' (or that account does not exist). Application access may have been revoked.",
                        "account_invalid").ToJson().ToJsonString(Plain));
                var match = _router.Match(method, path) ?? throw Router.NotFound(method, path);
                var call = new Call(State, account, method, path, new P(Form.Parse(form)), match.Args, requestId, key);
                return (200, match.Handler(call).ToJsonString(Plain));
            }
            catch (StripeError e)
            {
                return (e.Status, e.ToJson().ToJsonString(Plain));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A sandbox bug must still answer like Stripe does: a 500 api_error, never a dropped connection.
                return (500, new StripeError(500, "api_error", $"The sandbox failed on {method} {path}: {e.GetType().Name}: {e.Message}").ToJson().ToJsonString(Plain));
            }
        }
    }

    /// <summary>Written as Stripe writes it: <c>No such customer: 'cus_x'</c>, not <c>\u0027</c>.</summary>
    internal static readonly System.Text.Json.JsonSerializerOptions Plain = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The key of a request, as Stripe takes it: Bearer auth, or Basic auth's user name (password empty).</summary>
    internal static string KeyOf(string authorization)
    {
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        if (!authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return "";
        try
        {
            var pair = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            return pair.Split(':', 2)[0];
        }
        catch (FormatException)
        {
            return "";
        }
    }

    private static Task Write(HttpContext ctx, int status, string body)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body);
    }

    [GeneratedRegex("^(sk|rk)_test_[A-Za-z0-9]+$")]
    private static partial Regex TestKey();

    /// <summary>Stops taking connections, lets requests in flight finish (up to 10 s), then frees everything.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        if (State.Webhooks is { } webhooks) await webhooks.DisposeAsync();
        await _app.DisposeAsync();
    }

    private sealed class NoSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
