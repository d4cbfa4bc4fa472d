using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;
using StripeMcp.Configuration;
using StripeMcp.Tools;

namespace StripeMcp.Hosting;

/// <summary>
/// This server as an OAuth 2.1 resource server, per the MCP authorization spec: it publishes Protected Resource
/// Metadata (RFC 9728) naming its authorization server, answers every 401 with where that metadata is, and accepts
/// JWT access tokens checked by ASP.NET Core's JWT bearer handler — signature through the issuer's JWKS (fetched again
/// when a key id is unknown, so a rotation is followed), issuer, audience = this server's resource URI (a token for
/// another resource is refused), expiry and not-before. The token's scopes narrow the policy, as a static token's does:
/// <c>stripe:read</c> (read-only), <c>stripe:all</c>, <c>stripe:toolset:&lt;name&gt;</c>, <c>stripe:&lt;resource&gt;.&lt;action&gt;</c>.
/// </summary>
public static class OAuthResourceServer
{
    public const string MetadataPath = "/.well-known/oauth-protected-resource";
    public const string Prefix = "stripe:";

    public static void Add(IServiceCollection services, OAuthSettings oauth) =>
        services.AddAuthentication().AddJwtBearer(o =>
        {
            o.MetadataAddress = oauth.Metadata ?? oauth.Issuer.TrimEnd('/') + "/.well-known/openid-configuration";
            o.RequireHttpsMetadata = o.MetadataAddress.StartsWith("https:", StringComparison.Ordinal);
            o.MapInboundClaims = false;
            o.RefreshOnIssuerKeyNotFound = true;
            // A token with an unknown key id fetches the JWKS again (a rotation), at most every 5 s however many arrive.
            // The first tokens signed with a key never seen are refused until the fetch that refusal asks for is done; a
            // rotation that publishes its key ahead of use, as issuers do, is picked up by the refresh every 10 minutes.
            o.RefreshInterval = TimeSpan.FromSeconds(5);
            o.AutomaticRefreshInterval = TimeSpan.FromMinutes(10);
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = oauth.Issuer,
                ValidAudience = oauth.Resource,
                ValidateIssuer = true,
                ValidateAudience = true,
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
            ["authorization_servers"] = new[] { oauth.Issuer },
            ["scopes_supported"] = ScopesSupported(),
            ["bearer_methods_supported"] = new[] { "header" },
            ["resource_name"] = "StripeMcp",
        });
        app.MapGet(MetadataPath, Metadata);
        if (path.Length > 0) app.MapGet(MetadataPath + path, Metadata);
    }

    public static string[] ScopesSupported() =>
        [Prefix + "read", Prefix + "all", .. ToolCatalog.Toolsets.Keys.Select(t => $"{Prefix}toolset:{t}")];

    /// <summary>The challenge of every 401 (and, with an error, of a refused token or a missing scope).</summary>
    public static string Challenge(OAuthSettings oauth, string? error = null, string? scope = null) =>
        $"Bearer resource_metadata=\"{MetadataUrl(oauth)}\"" + (error is null ? "" : $", error=\"{error}\"") + (scope is null ? "" : $", scope=\"{scope}\"");

    /// <summary>The token checked by the JWT bearer handler: its principal, or why it was refused (null, null: no token was given).</summary>
    public static async Task<(ClaimsPrincipal? User, string? Problem)> AuthenticateAsync(HttpContext ctx)
    {
        var result = await ctx.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        if (result.Succeeded) return (result.Principal, null);
        return (null, result.Failure is { } f ? Reason(f) : null);
    }

    private static string Reason(Exception e) => e switch
    {
        SecurityTokenExpiredException => "the token has expired",
        SecurityTokenNotYetValidException => "the token is not valid yet",
        SecurityTokenInvalidAudienceException => "the token is for another resource (audience)",
        SecurityTokenInvalidIssuerException => "the token is from another issuer",
        SecurityTokenSignatureKeyNotFoundException => "the token is signed with a key the issuer does not publish",
        SecurityTokenInvalidSignatureException => "the token's signature is not valid",
        _ => "the token is not valid",
    };

    /// <summary>
    /// The policy a token's scopes allow, narrowing the server's like a static token's (null: no stripe scope, no access).
    /// Scopes not of this server's grammar are ignored.
    /// </summary>
    public static TokenPolicy? Policy(ClaimsPrincipal user)
    {
        var scopes = Scopes(user);
        var sub = user.FindFirstValue("sub") ?? user.FindFirstValue("client_id") ?? "unknown";
        HashSet<string>? permissions = null;
        var readOnly = scopes.Contains(Prefix + "read");
        var all = scopes.Contains(Prefix + "all");
        foreach (var s in scopes.Where(s => s.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var rest = s[Prefix.Length..];
            if (rest.StartsWith("toolset:", StringComparison.Ordinal))
            {
                var problems = new List<string>();
                OptionsLoader.AddToolset(rest["toolset:".Length..], s, permissions ??= [], problems);
            }
            else if (ToolCatalog.Permissions.Contains(rest)) (permissions ??= []).Add(rest);
        }
        if (permissions is null && !readOnly && !all) return null;
        return new TokenPolicy
        {
            Name = "oauth:" + sub,
            Sha256 = [],
            Permissions = all ? null : permissions, // null: every permission the server allows (stripe:all, or stripe:read alone)
            ReadOnly = readOnly,                     // stripe:read narrows whatever else the token holds
        };
    }

    /// <summary>The scopes of a token: "scope" (space-separated, RFC 9068) or "scp".</summary>
    public static IReadOnlySet<string> Scopes(ClaimsPrincipal user) =>
        user.FindAll("scope").Concat(user.FindAll("scp")).SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
}
