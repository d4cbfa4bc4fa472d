using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace StripeMcp.Configuration;

/// <summary>
/// One bearer token of the HTTP transport, stored only as its SHA-256. Its policy can only narrow the
/// server's: fewer permissions, more denied tools, read-only, one Connect account.
/// </summary>
internal sealed record TokenPolicy
{
    public required string Name { get; init; }
    public required byte[] Sha256 { get; init; }
    /// <summary>Null: every permission the server allows.</summary>
    public IReadOnlySet<string>? Permissions { get; init; }
    public IReadOnlySet<string> Deny { get; init; } = new HashSet<string>();
    public bool ReadOnly { get; init; }
    public string? Account { get; init; }
    public int? RateLimitPerMinute { get; init; }

    /// <summary>SHA-256 of a text's UTF-8 bytes: a token's, and the digests the ledger names calls and callers by.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}

/// <summary>
/// This server as an OAuth 2.1 resource server (MCP authorization): the authorization server whose JWT access tokens
/// it accepts, and its own canonical resource URI, the audience those tokens must name (RFC 8707).
/// </summary>
internal sealed record OAuthSettings
{
    /// <summary>The authorization servers whose tokens are accepted (config "issuer": one URL or a list); the first is the default.</summary>
    public required IReadOnlyList<string> Issuers { get; init; }
    /// <summary>The first issuer: the one named in messages, and the one introspection and <see cref="Metadata"/> are for.</summary>
    public string Issuer => Issuers[0];
    public required string Resource { get; init; }
    /// <summary>Where the (first) issuer's metadata is (default: each issuer's /.well-known/openid-configuration).</summary>
    public string? Metadata { get; init; }
    /// <summary>Scopes every token must hold besides those that grant tools (config http.oauth.requiredScopes).</summary>
    public IReadOnlyList<string> RequiredScopes { get; init; } = [];
    /// <summary>
    /// The operator's scope → grant table (config http.oauth.scopes); null: the built-in grammar (stripe:read, stripe:all,
    /// stripe:toolset:&lt;name&gt;, stripe:&lt;resource&gt;.&lt;action&gt;). With a table, only its scopes mean anything.
    /// </summary>
    public IReadOnlyDictionary<string, ScopeGrant>? Scopes { get; init; }
    /// <summary>Opaque access tokens are checked at the issuer's introspection endpoint (RFC 7662) as this client; null: JWTs only.</summary>
    public IntrospectionClient? Introspection { get; init; }
}

/// <summary>What one scope grants: permissions (null: every permission the server allows). A token holds the union of its scopes' grants.</summary>
internal sealed record ScopeGrant(IReadOnlySet<string>? Permissions)
{
    /// <summary>Every read permission (typed tools' and generic operations' reads are exactly the <c>.read</c> actions).</summary>
    public static readonly IReadOnlySet<string> Reads = Api.ApiPermissions.All.Where(IsRead).ToHashSet();

    public static bool IsRead(string permission) => permission.EndsWith(".read", StringComparison.Ordinal);
}

/// <summary>This server's client at the issuer's introspection endpoint; the secret comes from the environment only.</summary>
internal sealed record IntrospectionClient(string ClientId, string ClientSecret);

/// <summary>The Streamable HTTP transport's settings (config "http", flags --http/--host/--port/--stateful).</summary>
internal sealed record HttpSettings
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 3000;

    public bool Enabled { get; init; }
    public string Host { get; init; } = DefaultHost;
    public int Port { get; init; } = DefaultPort;
    public bool Stateful { get; init; }
    public IReadOnlyList<TokenPolicy> Tokens { get; init; } = [];
    /// <summary>OAuth 2.1 access tokens (config http.oauth), beside the static tokens; null: static tokens only.</summary>
    public OAuthSettings? OAuth { get; init; }
    /// <summary>Host header names accepted (DNS-rebinding protection). Empty: loopback names only.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    /// <summary>Origins accepted when a request has one. Empty: loopback origins only.</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];
    public long MaxBodyBytes { get; init; } = 1024 * 1024;
    public int RateLimitPerMinute { get; init; } = 600;
    public int RequestTimeoutSeconds { get; init; } = 120;

    public static bool IsLoopback(string host)
    {
        var h = host.Trim('[', ']');
        return h.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip));
    }
}
