using System.Net.Sockets;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog;
using Serilog.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.Resources;
using StripeMcp.State;
using StripeMcp.Stripe;
using StripeMcp.Receiver;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using StripeMcp.Hosting;
using StripeMcp.Pipeline;

namespace StripeMcp.Http;

/// <summary>
/// MCP over Streamable HTTP at /mcp. Every request passes, in order: shutdown gate → Host/Origin
/// checks (DNS rebinding) → body size → bearer token → JSON Content-Type → per-token rate limit → MCP (a tool call's Stripe
/// request is bounded by requestTimeoutSeconds in the gateway).
/// Each refusal is a status and a JSON body, and nothing reaches Stripe. A token sees and can call
/// only the tools of its own (narrowed) policy.
/// </summary>
internal static class HttpServer
{
    public const string TokenClaim = "stripe_mcp_token";
    private const string Anonymous = "(no token)";

    public static async Task<int> RunAsync(ServerOptions options, ProcessIo io, CancellationToken ct)
    {
        using var logger = Logging.Create(options.LogLevel, io.Errors);
        using var shutdown = Shutdown.Listen(ct, io.Signals);
        await using var sandbox = options.Sandbox ? await SandboxHost.StartAsync(ct) : null;
        if (sandbox is not null) options = options with { ApiBase = sandbox.BaseUrl };
        var draining = new Draining(shutdown.Requested);
        await using var app = Build(options, logger, draining);
        try
        {
            await app.StartAsync(shutdown.Requested);
        }
        catch (IOException e) when (PortInUse.Is(e))
        {
            io.Errors.WriteLine($"stripe-mcp: {PortInUse.Message(options.Http.Host, options.Http.Port)}");
            return Shutdown.ConfigError;
        }
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StripeMcp");
        StartupReport.Log(log, options, app.Services.GetRequiredService<McpCaller>().Tools, sandbox);
        log.LogInformation("Streamable HTTP at {Urls}/mcp ({Mode}, {Tokens} token(s){Auth})", string.Join(", ", app.Urls), options.Http.Stateful ? "stateful" : "stateless",
            options.Http.Tokens.Count, options.Http.OAuth is { } o ? $", OAuth access tokens for {o.Resource} from {o.Issuer}" : options.Http.Tokens.Count == 0 ? ", no authentication: loopback only" : "");
        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Requested);
        }
        catch (OperationCanceledException)
        {
        }
        // New requests now get 503 while the calls in flight finish (Shutdown.Grace at most); then the host stops.
        await draining.IdleAsync(Shutdown.Grace);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    /// <summary>The configured app, not started (tests start it on port 0).</summary>
    /// <param name="draining">How a stop is asked (the server's signals); without it, only the host's own stop.</param>
    public static WebApplication Build(ServerOptions options, Serilog.ILogger logger, Draining? draining = null)
    {
        var http = options.Http;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(logger, dispose: false);
        builder.WebHost.UseUrls($"http://{(http.Host.Contains(':') && !http.Host.StartsWith('[') ? $"[{http.Host}]" : http.Host)}:{http.Port}");
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = http.MaxBodyBytes);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = Shutdown.Grace);
        builder.Services.AddSingleton<IHostLifetime, Shutdown.NoSignals>(); // signals are Shutdown's

        var gateway = new StripeGateway(options, new SerilogLoggerFactory(logger).CreateLogger<StripeGateway>());
        // One per process, totals held across tokens (and, in the state store, across processes). Opening a
        // SQLite file is quick and local; Build stays synchronous for the tests that start it on port 0.
        var ledger = StateStores.OpenLedgerAsync(options, gateway, new SerilogLoggerFactory(logger).CreateLogger("StripeMcp"), CancellationToken.None).GetAwaiter().GetResult();
        var audit = new AuditTrail(options, logger, ledger.Store);


        // New events: told by the receiver when it keeps one, or noticed by polling Stripe when there is no receiver.
        // The receiver takes deliveries when it has a secret to verify them with: configured, or kept for an endpoint an
        // agent created (or can create) for it.
        IReadOnlyList<KeptSecret> kept;
        try { kept = ledger.Store.WebhookSecretsAsync(CancellationToken.None).GetAwaiter().GetResult(); }
        catch (StateUnavailable) { kept = []; }
        var receiving = WebhookReceiver.Receiving(options, kept: kept.Count > 0);
        WebApplication? built = null;
        var keeper = new WebhookSecretKeeper(http, ledger.Store, () => built?.Urls ?? []);
        var eventsLog = new SerilogLoggerFactory(logger).CreateLogger("StripeMcp.Events");
        var feed = receiving ? EventFeed.FromReceiver(eventsLog) : EventFeed.Polling(gateway, options.Account, options.Sandbox, eventsLog);
        // Each caller's tools and resources, built once: the server's policy narrowed by the static token's, or by an
        // OAuth access token's scopes (built at its first request, one per subject and scope set).
        var callers = new Dictionary<string, McpCaller>(); // the anonymous caller and each static token: built here, only read after
        McpCaller Publish(ToolServices services) => McpCaller.For(services, receiving);
        callers[Anonymous] = Publish(new(gateway, options, ledger, audit, Keeper: keeper));
        builder.Services.AddSingleton(callers[Anonymous]); // the server's own policy: what the start-up log counts
        foreach (var token in http.Tokens) callers[token.Name] = Publish(new(gateway, ToolPolicy.Narrow(options, token), ledger, audit, token.Name, keeper));
        var serverTools = ToolPolicy.Published(options).Select(t => t.Name).ToHashSet();
        // OAuth callers' sets apart (dropped all at once past 10,000, however a static token is named); each is also put
        // on the request (CallerItem), so the session built from it never looks it up again and a drop mid-request is no 500.
        var oauthCallers = new System.Collections.Concurrent.ConcurrentDictionary<string, McpCaller>();
        McpCaller OAuthCaller(string key, TokenPolicy policy)
        {
            if (oauthCallers.TryGetValue(key, out var known)) return known;
            if (oauthCallers.Count > 10_000) oauthCallers.Clear();
            return oauthCallers[key] = Publish(new(gateway, ToolPolicy.Narrow(options, policy), ledger, audit, policy.Name, keeper));
        }

        if (http.OAuth is { } oauthSettings) OAuthResourceServer.Add(builder.Services, oauthSettings);

        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, token) =>
            {
                var retry = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? (int)Math.Ceiling(after.TotalSeconds) : 60;
                ctx.HttpContext.Response.Headers.RetryAfter = retry.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await HttpRefusals.Refuse(ctx.HttpContext, 429, "rate_limited", $"Too many requests for this token; retry after {retry} s.");
            };
            o.AddPolicy("per-token", ctx =>
            {
                var name = ctx.User.FindFirstValue(TokenClaim) ?? Anonymous;
                var limit = http.Tokens.FirstOrDefault(t => t.Name == name)?.RateLimitPerMinute ?? http.RateLimitPerMinute;
                return RateLimitPartition.GetFixedWindowLimiter(name, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0,
                });
            });
        });

        builder.Services
            .AddMcpServer(o =>
            {
                McpComposition.Configure(o, options, logging: false, sessions: http.Stateful);
            })
            .WithHttpTransport(o =>
            {
                // Sessions for initialize clients; a 2026-07-28 client has none and is served per request either way.
                o.SessionMode = http.Stateful ? ModelContextProtocol.AspNetCore.HttpServerSessionMode.StatefulForInitializeClients
                    : ModelContextProtocol.AspNetCore.HttpServerSessionMode.Stateless;
                o.ConfigureSessionOptions = (ctx, serverOptions, _) =>
                {
                    var caller = ctx.Items[McpRequestGate.CallerItem] as McpCaller ?? callers[ctx.User.FindFirstValue(TokenClaim) ?? Anonymous];
                    McpComposition.Install(serverOptions, caller, feed, audit, ctx.User.FindFirstValue(TokenClaim), overHttp: true);
                    return Task.CompletedTask;
                };
            });

        var app = builder.Build();
        built = app;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StripeMcp.Http");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        draining ??= new Draining(CancellationToken.None);
        var stopping = CancellationTokenSource.CreateLinkedTokenSource(draining.Requested, lifetime.ApplicationStopping).Token;
        lifetime.ApplicationStopped.Register(audit.Dispose); // flush the audit file last
        lifetime.ApplicationStopping.Register(() => feed.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(2)));

        app.MapGet("/healthz", () => Results.Json(new { status = "alive" }));
        if (http.OAuth is { } published) OAuthResourceServer.Map(app, published);
        app.MapGet("/readyz", async (CancellationToken ct) =>
        {
            var problem = await Unreachable(options.ApiBase, ct);
            return problem is null
                ? Results.Json(new { status = "ready", api_base = options.ApiBase, tools = callers[Anonymous].Tools.Length })
                : Results.Json(new { status = "not_ready", api_base = options.ApiBase, reason = problem }, statusCode: 503);
        });

        // Stripe's deliveries: outside bearer auth, authenticated by their signature.
        app.MapPost(WebhookReceiver.Path, ctx => WebhookReceiver.HandleAsync(ctx, options.WebhookSecrets, keeper.Secrets, ledger.Store, feed, log));
        app.UseRouting();
        app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/mcp"), mcp =>
        {
            var gate = new McpRequestGate(options, log, audit, stopping, draining, serverTools, OAuthCaller);
            mcp.Use((ctx, next) => gate.InvokeAsync(ctx, next));
        });
        // After routing (they read the endpoint's policies) and after the token is known (the limit is per token).
        app.UseRateLimiter();
        app.MapMcp("/mcp").RequireRateLimiting("per-token");
        return app;
    }

    /// <summary>Null when the API base accepts a TCP connection within 2 s; otherwise why not.</summary>
    private static async Task<string?> Unreachable(string apiBase, CancellationToken ct)
    {
        var uri = new Uri(apiBase);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(uri.Host, uri.Port, timeout.Token);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return $"{uri.Host}:{uri.Port} is not reachable ({(e is OperationCanceledException ? "timed out" : e.Message)})";
        }
    }
}
