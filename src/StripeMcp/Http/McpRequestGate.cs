using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Pipeline;
using StripeMcp.Policy;
using StripeMcp.Tools.Catalog;
using ILogger = Microsoft.Extensions.Logging.ILogger;

namespace StripeMcp.Http;

/// <summary>
/// What every request to /mcp passes before the MCP handler, in order: shutdown → Host/Origin (DNS rebinding) → body
/// size → bearer token (static, or OAuth with its step-up) → JSON Content-Type → a chunked body read up to the limit.
/// Each refusal is a status and a JSON body (<see cref="HttpRefusals"/>); nothing reaches Stripe.
/// </summary>
/// <param name="serverTools">The typed tools the server publishes (an OAuth caller's step-up names the scope for one of them).</param>
/// <param name="oauthCaller">The caller an OAuth subject with these scopes is (built at its first request).</param>
internal sealed class McpRequestGate(ServerOptions options, ILogger log, AuditTrail audit, CancellationToken stopping, Draining draining,
    IReadOnlySet<string> serverTools, Func<string, TokenPolicy, McpCaller> oauthCaller)
{
    private readonly HttpSettings http = options.Http;

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
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
                var published = oauthCaller(name, policy);
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
            ctx.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(HttpServer.TokenClaim, name), new Claim(ClaimTypes.NameIdentifier, subject)], "Bearer"));
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
            // A session's event stream (GET) lasts as long as the client keeps it: only calls hold a stop back.
            using (HttpMethods.IsPost(ctx.Request.Method) ? draining.Post() : null)
                await next(ctx);
        }
        catch (BadHttpRequestException e)
        {
            await RefuseBadBody(ctx, e);
        }
    }

    private Task RefuseBadBody(HttpContext ctx, BadHttpRequestException e) => HttpRefusals.RefuseBadBodyAsync(ctx, e, http.MaxBodyBytes, log);

    /// <summary>Where a request carries its OAuth caller (<see cref="McpCaller"/>), so the session built from it never looks it up again.</summary>
    public const string CallerItem = "stripe-mcp.caller";

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
}
