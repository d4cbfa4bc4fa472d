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
using StripeMcp.Tools;
using StripeMcp.Mcp;
using StripeMcp.Receiver;
using ILogger = Microsoft.Extensions.Logging.ILogger;
using StripeMcp.Api;
using StripeMcp.Hosting;
using StripeMcp.Pipeline;
using StripeMcp.Tools.Catalog;

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

    public static async Task<int> RunAsync(ServerOptions options, CancellationToken ct)
    {
        using var logger = Logging.Create(options.LogLevel);
        using var shutdown = Shutdown.Listen(ct);
        await using var sandbox = options.Sandbox ? await SandboxHost.StartAsync(ct) : null;
        if (sandbox is not null) options = options with { ApiBase = sandbox.BaseUrl };
        await using var app = Build(options, logger);
        try
        {
            await app.StartAsync(shutdown.Requested);
        }
        catch (IOException e) when (PortInUse.Is(e))
        {
            Console.Error.WriteLine($"stripe-mcp: {PortInUse.Message(options.Http.Host, options.Http.Port)}");
            return Shutdown.ConfigError;
        }
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StripeMcp");
        StartupReport.Log(log, options, ToolPolicy.Enabled(options), sandbox);
        log.LogInformation("Streamable HTTP at {Urls}/mcp ({Mode}, {Tokens} token(s){Auth})", string.Join(", ", app.Urls), options.Http.Stateful ? "stateful" : "stateless",
            options.Http.Tokens.Count, options.Http.OAuth is { } o ? $", OAuth access tokens for {o.Resource} from {o.Issuer}" : options.Http.Tokens.Count == 0 ? ", no authentication: loopback only" : "");
        await app.WaitForShutdownAsync(shutdown.Requested); // then calls in flight get Shutdown.Grace
        return 0;
    }

    /// <summary>The configured app, not started (tests start it on port 0).</summary>
    public static WebApplication Build(ServerOptions options, Serilog.ILogger logger)
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
        foreach (var token in http.Tokens) callers[token.Name] = Publish(new(gateway, ToolPolicy.Narrow(options, token), ledger, audit, token.Name, keeper));
        var serverTools = ToolPolicy.Enabled(options).Select(t => t.Name).ToHashSet();
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
                    var caller = ctx.Items[CallerItem] as McpCaller ?? callers[ctx.User.FindFirstValue(TokenClaim) ?? Anonymous];
                    McpComposition.Install(serverOptions, caller, feed, audit, ctx.User.FindFirstValue(TokenClaim), overHttp: true);
                    return Task.CompletedTask;
                };
            });

        var app = builder.Build();
        built = app;
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("StripeMcp.Http");
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var stopping = lifetime.ApplicationStopping;
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
            mcp.Use(async (ctx, next) =>
            {
                if (stopping.IsCancellationRequested)
                {
                    ctx.Response.Headers.Connection = "close";
                    await HttpRefusals.Refuse(ctx, 503, "shutting_down", "The server is shutting down; retry on another instance.");
                    return;
                }
                if (HostProblem(ctx, http) is { } rebinding)
                {
                    log.LogWarning("Refused {Path}: {Problem}", ctx.Request.Path, rebinding);
                    await HttpRefusals.Refuse(ctx, 403, "forbidden", rebinding);
                    return;
                }
                if (ctx.Request.ContentLength > http.MaxBodyBytes)
                {
                    await HttpRefusals.Refuse(ctx, 413, "payload_too_large", $"The request body is {ctx.Request.ContentLength} bytes; the limit is {http.MaxBodyBytes}.");
                    return;
                }
                if (http.Tokens.Count > 0 || http.OAuth is not null)
                {
                    var name = http.Tokens.Count > 0 ? Authenticate(ctx.Request.Headers.Authorization.ToString(), http.Tokens) : null;
                    if (name is null && http.OAuth is { } oauth)
                    {
                        var (user, problem) = await OAuthResourceServer.AuthenticateAsync(ctx, oauth);
                        if (user is null && OAuthResourceServer.IsOutage(problem))
                        {
                            // Fail closed, and say it is not the token's fault: the client retries rather than signing in again.
                            if (problem == OAuthResourceServer.ClientRefused) log.LogError("Refused {Path}: {Problem}", ctx.Request.Path, problem);
                            else log.LogWarning("Refused {Path}: {Problem}", ctx.Request.Path, problem);
                            ctx.Response.Headers.RetryAfter = "5";
                            await HttpRefusals.Refuse(ctx, 503, "authorization_server_unavailable", $"The access token could not be checked: {problem} ({oauth.Issuer}); nothing was sent to Stripe. Retry shortly.");
                            return;
                        }
                        if (user is null)
                        {
                            ctx.Response.Headers.WWWAuthenticate = OAuthResourceServer.Challenge(oauth, problem is null ? null : "invalid_token");
                            log.LogWarning("Refused {Path}: {Problem}", ctx.Request.Path, problem ?? "no bearer token");
                            await HttpRefusals.Refuse(ctx, 401, "unauthorized", problem is null
                                ? $"A bearer token is required: an OAuth access token for {oauth.Resource} from {oauth.Issuer} (see {OAuthResourceServer.MetadataUrl(oauth)}){(http.Tokens.Count > 0 ? ", or a static token" : "")}."
                                : $"The access token was refused: {problem}.");
                            return;
                        }
                        if (OAuthResourceServer.SubjectOf(user, oauth) is not { } sub)
                        {
                            ctx.Response.Headers.WWWAuthenticate = OAuthResourceServer.Challenge(oauth, "invalid_token");
                            log.LogWarning("Refused {Path}: the access token names no subject", ctx.Request.Path);
                            await HttpRefusals.Refuse(ctx, 401, "unauthorized", "The access token was refused: it names no subject (sub or client_id), so its calls could not be told from another's.");
                            return;
                        }
                        var scopes = OAuthResourceServer.Scopes(user);
                        if (OAuthResourceServer.MissingRequired(oauth, scopes) is { } required)
                        {
                            ctx.Response.Headers.WWWAuthenticate = OAuthResourceServer.Challenge(oauth, "insufficient_scope", required);
                            await HttpRefusals.Refuse(ctx, 403, "insufficient_scope", $"The access token lacks the required scope(s) {required}.");
                            return;
                        }
                        if (OAuthResourceServer.Policy(scopes, sub, oauth) is not { } policy)
                        {
                            ctx.Response.Headers.WWWAuthenticate = OAuthResourceServer.Challenge(oauth, "insufficient_scope", OAuthResourceServer.FirstScope(oauth));
                            await HttpRefusals.Refuse(ctx, 403, "insufficient_scope", $"The access token holds no scope that grants tools here; ask for one of: {string.Join(", ", OAuthResourceServer.ScopesSupported(oauth))}.");
                            return;
                        }
                        name = OAuthResourceServer.Key(sub, scopes);
                        var published = OAuthCaller(name, policy);
                        ctx.Items[CallerItem] = published;
                        // Step-up: a call of a tool the server has but this token's scopes do not reach is 403 with the scope it needs.
                        string? needed;
                        try { needed = HttpMethods.IsPost(ctx.Request.Method) ? await NeededScopeAsync(ctx, serverTools, published, http.MaxBodyBytes, oauth, options) : null; }
                        catch (BadHttpRequestException e)
                        {
                            await RefuseBadBody(ctx, e);
                            return;
                        }
                        if (needed is not null)
                        {
                            ctx.Response.Headers.WWWAuthenticate = OAuthResourceServer.Challenge(oauth, "insufficient_scope", needed);
                            audit.Record(new AuditEvent("tools/call", needed, new Dictionary<string, System.Text.Json.JsonElement>()) { Caller = name, Detail = $"step-up refused: the access token lacks the scope {needed}" }, Outcome.Denied);
                            await HttpRefusals.Refuse(ctx, 403, "insufficient_scope", $"This call needs the scope {needed}, which the access token does not hold; nothing was sent to Stripe.");
                            return;
                        }
                    }
                    if (name is null)
                    {
                        ctx.Response.Headers.WWWAuthenticate = "Bearer realm=\"stripe-mcp\"";
                        log.LogWarning("Refused {Path}: missing or unknown bearer token", ctx.Request.Path);
                        await HttpRefusals.Refuse(ctx, 401, "unauthorized", "A valid bearer token is required: Authorization: Bearer <token>.");
                        return;
                    }
                    // The NameIdentifier is the stable user id the SDK binds a stateful session to: without one it refuses
                    // every stateful request (403), and with it another token presenting the session's id is refused. A
                    // session's tools are its opening token's, so an OAuth session is bound to the subject *and* its scopes:
                    // a token with other scopes (stepped up, or narrowed) is refused on it and opens a session of its own.
                    var subject = name.StartsWith("oauth:", StringComparison.Ordinal) ? name : $"token:{name}";
                    ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(TokenClaim, name), new Claim(ClaimTypes.NameIdentifier, subject)], "Bearer"));
                }
                // The SDK reads a POST with ReadFromJsonAsync, which throws on a body not declared JSON (a 500 and a stack trace).
                // After the token, so a caller without one learns nothing but 401.
                if (HttpMethods.IsPost(ctx.Request.Method) && !ctx.Request.HasJsonContentType())
                {
                    var got = ctx.Request.ContentType is { Length: > 0 } type ? $"\"{type}\"" : "none";
                    log.LogWarning("Refused {Path}: Content-Type {ContentType} is not JSON", ctx.Request.Path, got);
                    await HttpRefusals.Refuse(ctx, 415, "unsupported_media_type", $"The request body must be JSON, with Content-Type: application/json (got {got}).");
                    return;
                }
                try
                {
                    // A chunked body has no length to refuse by: read here, up to the limit, so one over it is a 413 with a reason.
                    if (ctx.Request.ContentLength is null && HttpMethods.IsPost(ctx.Request.Method) && ctx.Request.Headers.TransferEncoding.Count > 0)
                    {
                        if (await HttpRefusals.ReadChunkedAsync(ctx, http.MaxBodyBytes) is not { } whole)
                        {
                            log.LogWarning("Refused {Path}: a chunked body over the limit of {Limit} bytes", ctx.Request.Path, http.MaxBodyBytes);
                            await HttpRefusals.Refuse(ctx, 413, "payload_too_large", $"The request body is over the limit of {http.MaxBodyBytes} bytes.");
                            return;
                        }
                        ctx.Request.Body = new MemoryStream(whole);
                        ctx.Request.ContentLength = whole.Length;
                    }
                    await next(ctx);
                }
                catch (BadHttpRequestException e)
                {
                    await RefuseBadBody(ctx, e);
                }
            });
            Task RefuseBadBody(HttpContext ctx, BadHttpRequestException e) => HttpRefusals.RefuseBadBodyAsync(ctx, e, http.MaxBodyBytes, log);
        });
        // After routing (they read the endpoint's policies) and after the token is known (the limit is per token).
        app.UseRateLimiter();
        app.MapMcp("/mcp").RequireRateLimiting("per-token");
        return app;
    }

    /// <summary>What one caller is served: its tools, the resources, prompts and completions derived from them, and the policy they come from.</summary>
    private const string CallerItem = "stripe-mcp.caller";

    /// <summary>
    /// For a tools/call of a typed tool (or a generic operation) the server enables but <paramref name="caller"/> lacks: the
    /// scope that would reach it. The body is read (bounded) and left for the MCP handler to read again.
    /// </summary>
    private static async Task<string?> NeededScopeAsync(HttpContext ctx, IReadOnlySet<string> serverTools, McpCaller caller, long maxBody, OAuthSettings oauth, ServerOptions server)
    {
        if (ctx.Request.ContentLength is > 0 and var n && n > maxBody) return null;
        ctx.Request.EnableBuffering();
        try
        {
            using var doc = await System.Text.Json.JsonDocument.ParseAsync(ctx.Request.Body, cancellationToken: ctx.RequestAborted);
            var root = doc.RootElement;
            if (root.ValueKind != System.Text.Json.JsonValueKind.Object || !root.TryGetProperty("method", out var m) || m.GetString() != "tools/call"
                || !root.TryGetProperty("params", out var p) || p.ValueKind != System.Text.Json.JsonValueKind.Object || !p.TryGetProperty("name", out var nm) || nm.ValueKind != System.Text.Json.JsonValueKind.String)
                return null;
            // The generic path: an operation the server enables and this token's policy does not (its tool answers
            // operation_not_allowed otherwise, which a client cannot step up from).
            if (nm.GetString() is GenericTool.Read or GenericTool.Write
                && p.TryGetProperty("arguments", out var a) && a.ValueKind == System.Text.Json.JsonValueKind.Object
                && a.TryGetProperty("operation", out var o) && o.ValueKind == System.Text.Json.JsonValueKind.String && Api.ApiCatalog.Find(o.GetString()!) is { } op)
                return ToolPolicy.IsEnabled(op, server) && !ToolPolicy.IsEnabled(op, caller.Options) ? OAuthResourceServer.ScopeFor(oauth, op.Permission) : null;
            var tool = ToolCatalog.Find(nm.GetString()!);
            return tool is not null && serverTools.Contains(tool.Name) && caller.Tools.All(t => t.Listing.Name != tool.Name) ? OAuthResourceServer.ScopeFor(oauth, tool.Permission) : null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null; // the MCP handler answers a malformed body
        }
        finally
        {
            ctx.Request.Body.Position = 0;
        }
    }

    /// <summary>The token of an "Authorization: Bearer &lt;token&gt;" header (trimmed, maybe empty); null: another scheme or none.</summary>
    public static string? BearerToken(string authorization) =>
        authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization[7..].Trim() : null;

    /// <summary>The token's name, comparing SHA-256 digests in constant time (every configured token is compared).</summary>
    public static string? Authenticate(string authorization, IReadOnlyList<TokenPolicy> tokens)
    {
        if (BearerToken(authorization) is not { } token) return null;
        var presented = TokenPolicy.Hash(token);
        string? match = null;
        foreach (var t in tokens)
            if (CryptographicOperations.FixedTimeEquals(presented, t.Sha256)) match ??= t.Name;
        return match;
    }

    /// <summary>DNS-rebinding protection: the Host must be allowed, and an Origin, when present, too.</summary>
    public static string? HostProblem(HttpContext ctx, HttpSettings http)
    {
        var host = ctx.Request.Host.Host;
        var hostOk = http.AllowedHosts.Count == 0
            ? HttpSettings.IsLoopback(host)
            : http.AllowedHosts.Any(h => h == "*" || string.Equals(h, host, StringComparison.OrdinalIgnoreCase));
        if (!hostOk) return $"Host \"{host}\" is not allowed (allowed: {(http.AllowedHosts.Count == 0 ? "loopback names" : string.Join(", ", http.AllowedHosts))}).";
        var origin = ctx.Request.Headers.Origin.ToString();
        if (origin.Length == 0) return null;
        var originOk = http.AllowedOrigins.Count == 0
            ? Uri.TryCreate(origin, UriKind.Absolute, out var o) && HttpSettings.IsLoopback(o.Host)
            : http.AllowedOrigins.Any(a => string.Equals(a.TrimEnd('/'), origin.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
        return originOk ? null : $"Origin \"{origin}\" is not allowed (allowed: {(http.AllowedOrigins.Count == 0 ? "loopback origins" : string.Join(", ", http.AllowedOrigins))}).";
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
