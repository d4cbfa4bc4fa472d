using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using Polly;
using StripeMcp.Configuration;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Http;

/// <summary>
/// This server as an OAuth 2.1 resource server, per the MCP authorization spec: it publishes Protected Resource
/// Metadata (RFC 9728) naming its authorization server, answers every 401 with where that metadata is, and accepts
/// JWT access tokens checked by ASP.NET Core's JWT bearer handler — signature through the issuer's JWKS (fetched again
/// when a key id is unknown, so a rotation is followed), issuer, audience = this server's resource URI (a token for
/// another resource is refused), expiry and not-before. The grants of the token's scopes, added up, narrow the policy as
/// a static token's does: <c>stripe:read</c> (every read), <c>stripe:all</c>, <c>stripe:toolset:&lt;name&gt;</c>,
/// <c>stripe:&lt;resource&gt;.&lt;action&gt;</c>, or the operator's own table (http.oauth.scopes). Opaque tokens are
/// introspected (RFC 7662) when http.oauth.introspection is set. The authorization server unreachable is a 503, never access.
/// </summary>
internal static class OAuthResourceServer
{
    public const string MetadataPath = "/.well-known/oauth-protected-resource";
    public const string Prefix = "stripe:";
    /// <summary>How long a request to the authorization server (metadata, JWKS, introspection) may take.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Why a token could not be checked when the authorization server could not be reached (a 503, not a 401).</summary>
    public const string Unreachable = "the authorization server could not be reached to check the token";
    /// <summary>Why no opaque token can be checked: the authorization server refuses this server's own client (a 503 and an error in the log).</summary>
    public const string ClientRefused = "the authorization server refused this server's introspection request (check http.oauth.introspection.clientId and " + EnvVars.OAuthClientSecret + ")";

    /// <summary>The token could not be checked, through no fault of its own.</summary>
    public static bool IsOutage(string? problem) => problem is Unreachable or ClientRefused;

    /// <summary>Introspection answers kept for a while (token hash → principal, until), so each request does not cost one.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, (ClaimsPrincipal User, DateTimeOffset Until)> Introspected = new();
    private static readonly SemaphoreSlim Introspecting = new(16);
    /// <summary>How long an introspected token is trusted without asking again (a revocation is seen within this).</summary>
    public static readonly TimeSpan IntrospectionCache = TimeSpan.FromSeconds(30);

    public static void Add(IServiceCollection services, OAuthSettings oauth)
    {
        AddJwt(services, oauth);
        if (oauth.Introspection is { } client)
            // Opaque tokens: OpenIddict's validation stack, which speaks RFC 7662 to any authorization server that publishes
            // an introspection_endpoint in its metadata, authenticating as this server's client; it checks the answer's
            // active, iss, aud (our resource URI), exp and nbf.
            services.AddOpenIddict().AddValidation(o =>
            {
                o.SetIssuer(oauth.Issuer);
                if (oauth.Metadata is { } metadata) o.Configure(v => v.ConfigurationEndpoint = new Uri(metadata));
                o.UseIntrospection();
                o.SetClientId(client.ClientId).SetClientSecret(client.ClientSecret);
                o.AddAudiences(oauth.Resource);
                // One attempt of at most 10 s (the default pipeline retries for ~20 s while the caller waits); an
                // unreachable authorization server is a 503 the client retries.
                o.UseSystemNetHttp().SetHttpResiliencePipeline(p => p.AddTimeout(Timeout));
                o.UseAspNetCore();
            });
    }

    /// <summary>The JWT bearer scheme of the issuer at <paramref name="index"/> in http.oauth.issuer: one per issuer, each with its own JWKS.</summary>
    private static string JwtScheme(int index) => index == 0 ? JwtBearerDefaults.AuthenticationScheme : $"{JwtBearerDefaults.AuthenticationScheme}-{index}";

    private static void AddJwt(IServiceCollection services, OAuthSettings oauth)
    {
        var auth = services.AddAuthentication();
        for (var i = 0; i < oauth.Issuers.Count; i++) AddJwt(auth, oauth, i);
    }

    private static void AddJwt(AuthenticationBuilder auth, OAuthSettings oauth, int index) =>
        auth.AddJwtBearer(JwtScheme(index), o =>
        {
            var issuer = oauth.Issuers[index];
            o.MetadataAddress = (index == 0 ? oauth.Metadata : null) ?? issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            o.RequireHttpsMetadata = o.MetadataAddress.StartsWith("https:", StringComparison.Ordinal);
            o.MapInboundClaims = false;
            o.BackchannelTimeout = Timeout;
            o.RefreshOnIssuerKeyNotFound = true;
            // A token with an unknown key id fetches the JWKS again (a rotation), at most every 5 s however many arrive.
            // The first tokens signed with a key never seen are refused until the fetch that refusal asks for is done; a
            // rotation that publishes its key ahead of use, as issuers do, is picked up by the refresh every 10 minutes.
            o.RefreshInterval = TimeSpan.FromSeconds(5);
            o.AutomaticRefreshInterval = TimeSpan.FromMinutes(10);
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = issuer,
                ValidAudience = oauth.Resource,
                ValidateIssuer = true,
                ValidateAudience = true,
                IgnoreTrailingSlashWhenValidatingAudience = false, // the resource URI exactly
                ValidateLifetime = true,
                RequireExpirationTime = true,
                RequireSignedTokens = true,
                ValidateIssuerSigningKey = true,
                ClockSkew = TimeSpan.FromSeconds(30),
            };
        });

    /// <summary>Where this server's metadata is: RFC 9728's well-known path, with the resource's path after it.</summary>
    public static string MetadataUrl(OAuthSettings oauth)
    {
        var resource = new Uri(oauth.Resource);
        return $"{resource.GetLeftPart(UriPartial.Authority)}{MetadataPath}{resource.AbsolutePath.TrimEnd('/')}";
    }

    /// <summary>GET /.well-known/oauth-protected-resource[/path].</summary>
    public static void Map(WebApplication app, OAuthSettings oauth)
    {
        var path = new Uri(oauth.Resource).AbsolutePath.TrimEnd('/');
        IResult Metadata() => Results.Json(new Dictionary<string, object>
        {
            ["resource"] = oauth.Resource,
            ["authorization_servers"] = oauth.Issuers,
            ["scopes_supported"] = ScopesSupported(oauth),
            ["bearer_methods_supported"] = new[] { "header" },
            ["resource_name"] = "StripeMcp",
        });
        app.MapGet(MetadataPath, Metadata);
        if (path.Length > 0) app.MapGet(MetadataPath + path, Metadata);
    }

    /// <summary>The built-in grammar's broad scopes (each permission's stripe:&lt;resource&gt;.&lt;action&gt; works too, unlisted).</summary>
    public static string[] ScopesSupported() =>
        [Prefix + "read", Prefix + "all", .. ToolCatalog.Toolsets.Keys.Select(t => $"{Prefix}toolset:{t}")];

    /// <summary>What the metadata lists: the operator's table's scopes, or the built-in ones; and the required scopes.</summary>
    public static string[] ScopesSupported(OAuthSettings oauth) =>
        [.. (oauth.Scopes?.Keys.Order(StringComparer.Ordinal) ?? ScopesSupported().AsEnumerable()).Concat(oauth.RequiredScopes).Distinct()];

    /// <summary>The scope that would grant <paramref name="permission"/> for a step-up: the narrowest of the table's that does, or the built-in stripe:&lt;permission&gt;.</summary>
    public static string? ScopeFor(OAuthSettings oauth, string permission) => oauth.Scopes is { } table
        ? Narrowest(table.Where(g => g.Value.Permissions is not { } p || p.Contains(permission)))
        : Prefix + permission;

    /// <summary>What a token granting nothing is told to ask for: the least that grants anything (stripe:read, or the table's narrowest scope).</summary>
    public static string FirstScope(OAuthSettings oauth) => oauth.Scopes is { } table ? Narrowest(table)! : Prefix + "read";

    private static string? Narrowest(IEnumerable<KeyValuePair<string, ScopeGrant>> grants) =>
        grants.OrderBy(g => g.Value.Permissions?.Count ?? int.MaxValue).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();

    /// <summary>The required scopes the token lacks (space-separated, for the challenge), or null.</summary>
    public static string? MissingRequired(OAuthSettings oauth, IReadOnlySet<string> scopes) =>
        oauth.RequiredScopes.Where(r => !scopes.Contains(r)).ToList() is { Count: > 0 } missing ? string.Join(' ', missing) : null;

    /// <summary>The challenge of every 401 (and, with an error, of a refused token or a missing scope).</summary>
    public static string Challenge(OAuthSettings oauth, string? error = null, string? scope = null) =>
        $"Bearer resource_metadata=\"{MetadataUrl(oauth)}\"" + (error is null ? "" : $", error=\"{error}\"") + (scope is null ? "" : $", scope=\"{scope}\"");

    /// <summary>
    /// The token checked — a JWT by the JWT bearer handler, anything else by introspection when configured: its principal,
    /// or why it was refused (null, null: no token was given).
    /// </summary>
    public static async Task<(ClaimsPrincipal? User, string? Problem)> AuthenticateAsync(HttpContext ctx, OAuthSettings oauth)
    {
        // No bearer credentials (no header, another scheme, an empty token): a plain challenge, no error (RFC 6750 §3.1).
        if (McpRequestGate.BearerToken(ctx.Request.Headers.Authorization.ToString()) is not { Length: > 0 } token) return (null, null);
        if (token.Count(c => c == '.') == 2 || oauth.Introspection is null)
        {
            // The scheme of the issuer the token says it is from (checked by that scheme); an unknown or unreadable one
            // goes to the first, which refuses it with the reason.
            var scheme = JwtScheme(0);
            if (oauth.Issuers.Count > 1)
            {
                string? claimed = null;
                try { claimed = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(token).Issuer; }
                catch (Exception) { } // unreadable: the first scheme refuses it with the reason
                for (var i = 1; i < oauth.Issuers.Count; i++) if (oauth.Issuers[i] == claimed) scheme = JwtScheme(i);
            }
            var result = await ctx.AuthenticateAsync(scheme);
            if (result.Succeeded) return (result.Principal, null);
            // The handler validates against no keys when the issuer's metadata could not be fetched: ask for it to tell
            // "the issuer is down" from "the key is not the issuer's" (a fetched configuration is cached, so this is cheap).
            if (result.Failure is SecurityTokenSignatureKeyNotFoundException)
            {
                var jwt = ctx.RequestServices.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(scheme);
                try { if (jwt.ConfigurationManager is { } manager) await manager.GetConfigurationAsync(ctx.RequestAborted); }
                catch (Exception e) when (IsUnreachable(e)) { return (null, Unreachable); }
            }
            return (null, result.Failure is { } f ? Reason(f) : "the token is not valid");
        }
        var hash = Convert.ToHexString(TokenPolicy.Hash(token));
        var now = DateTimeOffset.UtcNow;
        if (Introspected.TryGetValue(hash, out var kept) && kept.Until > now) return (kept.User, null);
        // At most 16 introspections at once: a flood of made-up tokens (each one new, so no cache helps) waits here
        // instead of becoming a flood at the authorization server; one that waits over 2 s is a 503 (12 s at most in all).
        if (!await Introspecting.WaitAsync(TimeSpan.FromSeconds(2), ctx.RequestAborted)) return (null, Unreachable);
        AuthenticateResult introspected;
        try { introspected = await ctx.AuthenticateAsync(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme); }
        finally { Introspecting.Release(); }
        if (introspected.Succeeded)
        {
            if (Introspected.Count > 10_000) Introspected.Clear();
            var until = now + IntrospectionCache;
            if (introspected.Properties?.ExpiresUtc is { } expires && expires < until) until = expires;
            Introspected[hash] = (introspected.Principal, until);
            return (introspected.Principal, null);
        }
        string? Item(string key) => introspected.Properties?.Items.TryGetValue(key, out var v) == true ? v : null;
        var why = Item(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreConstants.Properties.ErrorDescription);
        // OpenIddict's words when the introspection endpoint answers with an error (invalid_client: our own credentials)
        // rather than with the token's state; any other server_error is the endpoint not answering.
        if (why?.Contains("introspection request was rejected", StringComparison.OrdinalIgnoreCase) == true) return (null, ClientRefused);
        if (Item(OpenIddict.Validation.AspNetCore.OpenIddictValidationAspNetCoreConstants.Properties.Error) == "server_error") return (null, Unreachable);
        return (null, "introspection refused the token" + (why is { Length: > 0 } ? ": " + why.TrimEnd('.') : ""));
    }

    /// <summary>The metadata or JWKS could not be fetched (IDX20803), or the fetch failed on the network.</summary>
    private static bool IsUnreachable(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
            if (x is HttpRequestException or IOException or TaskCanceledException || x.Message.StartsWith("IDX20803", StringComparison.Ordinal)) return true;
        return false;
    }

    private static string Reason(Exception e) => e switch
    {
        _ when IsUnreachable(e) => Unreachable,
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is for another resource (audience)",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key the issuer does not publish",
        SecurityTokenInvalidSignatureException => "the token's signature is not valid",
        _ => "the token is not valid",
    };

    /// <summary>
    /// The policy a token's scopes allow, narrowing the server's like a static token's (null: no scope that grants
    /// anything, no access). Each scope it holds grants permissions (the operator's table's, or the built-in grammar's);
    /// the token has their union — scopes only add, as a client asking for one more scope (step-up) expects. Other
    /// scopes are ignored.
    /// </summary>
    public static TokenPolicy? Policy(IReadOnlySet<string> scopes, Subject subject, OAuthSettings oauth)
    {
        var grants = scopes.Select(s => Grant(oauth, s)).OfType<ScopeGrant>().ToList();
        if (grants.Count == 0) return null;
        HashSet<string>? permissions = [];
        foreach (var g in grants)
            if (g.Permissions is null) { permissions = null; break; }
            else permissions.UnionWith(g.Permissions);
        return new TokenPolicy { Name = Caller(subject, oauth), Sha256 = [], Permissions = permissions };
    }

    /// <summary>Who a token is for: its issuer, and its sub — or, for a client acting for itself, its client_id.</summary>
    public sealed record Subject(string Issuer, bool IsClient, string Value);

    /// <summary>The token's subject (null: it names none, and is refused). Introspected tokens are the first issuer's.</summary>
    public static Subject? SubjectOf(ClaimsPrincipal user, OAuthSettings oauth)
    {
        var issuer = user.FindFirstValue("iss") is { } iss && oauth.Issuers.Contains(iss) ? iss : oauth.Issuer;
        if (user.FindFirstValue("sub") is { Length: > 0 } sub) return new Subject(issuer, false, sub);
        return user.FindFirstValue("client_id") is { Length: > 0 } client ? new Subject(issuer, true, client) : null;
    }

    /// <summary>
    /// How the audit names the caller: oauth:&lt;sub&gt; (oauth:client:&lt;client_id&gt; for a client acting for itself),
    /// quoted as JSON when the value holds anything but plain id characters, so it cannot pass for another caller
    /// ("x stripe:all" is not x); with several issuers, @&lt;issuer&gt; after it.
    /// </summary>
    public static string Caller(Subject subject, OAuthSettings oauth)
    {
        var v = subject.Value;
        var plain = v.Length <= 200 && !v.StartsWith("client:", StringComparison.Ordinal)
            && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '@' or ':' or '|' or '+');
        return "oauth:" + (subject.IsClient ? "client:" : "") + (plain ? v : System.Text.Json.JsonSerializer.Serialize(v))
            + (oauth.Issuers.Count > 1 ? "@" + subject.Issuer : "");
    }

    /// <summary>
    /// The key of a caller's tool set and stateful sessions: issuer, kind and value of the subject, and the exact scope
    /// set, hashed from an unambiguous encoding (a JSON array), so no subject, issuer or scope can make two callers' keys meet.
    /// </summary>
    public static string Key(Subject subject, IReadOnlySet<string> scopes) =>
        "oauth:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Json.JsonSerializer.SerializeToUtf8Bytes<string[]>([subject.Issuer, subject.IsClient ? "client_id" : "sub", subject.Value, .. scopes.Order(StringComparer.Ordinal)])));

    /// <summary>What one scope grants: the operator's table's entry, or the built-in grammar's meaning (null: nothing).</summary>
    public static ScopeGrant? Grant(OAuthSettings oauth, string scope)
    {
        if (oauth.Scopes is { } table) return table.GetValueOrDefault(scope);
        if (!scope.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var rest = scope[Prefix.Length..];
        if (rest == "read") return new ScopeGrant(ScopeGrant.Reads);
        if (rest == "all") return new ScopeGrant(null);
        if (rest.StartsWith("toolset:", StringComparison.Ordinal) && rest != "toolset:all") // stripe:all says that
        {
            var problems = new List<string>();
            var permissions = new HashSet<string>();
            OptionsLoader.AddToolset(rest["toolset:".Length..], scope, permissions, problems);
            return problems.Count == 0 ? new ScopeGrant(permissions) : null;
        }
        return Api.ApiPermissions.All.Contains(rest) ? new ScopeGrant(new HashSet<string> { rest }) : null;
    }

    /// <summary>The scopes of a token: "scope" (space-separated, RFC 9068) or "scp".</summary>
    public static IReadOnlySet<string> Scopes(ClaimsPrincipal user) =>
        user.FindAll("scope").Concat(user.FindAll("scp")).Concat(user.FindAll("oi_scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
}
