using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A token issuer on 127.0.0.1 for the resource server's checks: OpenID discovery and a JWKS, RSA keys it can rotate,
/// and JWT access tokens minted as a test needs them (any audience, issuer, lifetime, scopes, or a key it never published).
/// The full OAuth flows against a real authorization server are the next step of issue 17.
/// </summary>
public sealed class TestIssuer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RsaSecurityKey> _published = [];

    public string Url { get; }
    public int JwksRequests;

    private TestIssuer(WebApplication app, string url) => (_app, Url) = (app, url);

    public static async Task<TestIssuer> StartAsync()
    {
        var builder = LoopbackApp.Builder();
        var app = builder.Build();
        TestIssuer? self = null;
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = self!.Url, ["jwks_uri"] = self.Url + "/jwks", ["token_endpoint"] = self.Url + "/token",
            ["response_types_supported"] = new[] { "code" }, ["subject_types_supported"] = new[] { "public" }, ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            Interlocked.Increment(ref self!.JwksRequests);
            lock (self._published)
                return Results.Json(new { keys = self._published.Select(k => { var j = JsonWebKeyConverter.ConvertFromRSASecurityKey(k); j.Use = "sig"; j.Alg = "RS256"; return new { j.Kty, j.Kid, j.Use, j.Alg, j.N, j.E }; }).ToList() });
        });
        var url = await LoopbackApp.StartAsync(app);
        self = new TestIssuer(app, url);
        self.Rotate();
        return self;
    }

    public static RsaSecurityKey NewKey() => new(RSA.Create(2048)) { KeyId = Guid.NewGuid().ToString("N")[..12] };

    /// <summary>Publishes a new key and signs with it from now on (the old one stays published).</summary>
    public RsaSecurityKey Rotate()
    {
        var key = NewKey();
        lock (_published) _published.Insert(0, key);
        return key;
    }

    public RsaSecurityKey Current { get { lock (_published) return _published[0]; } }

    /// <param name="subject">The sub claim; null: a token that names no subject.</param>
    public string Token(string audience, string scope, string? subject = "user-1", string? issuer = null, TimeSpan? lifetime = null, DateTime? notBefore = null, RsaSecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Url,
            Audience = audience,
            IssuedAt = now.AddMinutes(-10),
            NotBefore = notBefore ?? now.AddMinutes(-10),
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(10)),
            Claims = subject is null ? new Dictionary<string, object> { ["scope"] = scope } : new Dictionary<string, object> { ["sub"] = subject, ["scope"] = scope },
            SigningCredentials = new SigningCredentials(key ?? Current, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
