
namespace StripeMcp.Configuration;

/// <summary>The raw values the command line gave (null = not given).</summary>
internal sealed record CommandLineInputs
{
    public string? Config { get; init; }
    public string? Tools { get; init; }
    public string? Toolsets { get; init; }
    public string? ApiKey { get; init; }
    public string? StripeAccount { get; init; }
    public string? StripeApiBase { get; init; }
    public bool ReadOnly { get; init; }
    public bool Compact { get; init; }
    public string? LogLevel { get; init; }
    public int? MaxNetworkRetries { get; init; }
    public bool Sandbox { get; init; }
    public bool Http { get; init; }
    public string? Host { get; init; }
    public int? Port { get; init; }
    public bool Stateful { get; init; }
    public bool AllowLive { get; init; }
    public bool DryRun { get; init; }
    public string? AuditLog { get; init; }
    public string? State { get; init; }
}

/// <summary>Environment variables the server reads; flags override them, they override the file.</summary>
internal static class EnvVars
{
    public const string Config = "STRIPE_MCP_CONFIG";
    public const string ApiKey = "STRIPE_SECRET_KEY";
    public const string ApiBase = "STRIPE_API_BASE";
    /// <summary>Comma-separated bearer tokens for the HTTP transport (each gets the server's whole policy).</summary>
    public const string HttpTokens = "STRIPE_MCP_HTTP_TOKENS";
    /// <summary>A PostgreSQL connection string: the state store several instances share (overrides state.postgres).</summary>
    public const string Postgres = "STRIPE_MCP_POSTGRES";
    /// <summary>The client secret http.oauth.introspection's client authenticates with at the issuer (never in the config file).</summary>
    public const string OAuthClientSecret = "STRIPE_MCP_OAUTH_CLIENT_SECRET";
    /// <summary>"1": start-up phase timings on stderr (read by Hosting.StartupTrace).</summary>
    public const string StartupTrace = "STRIPE_MCP_STARTUP_TRACE";
    /// <summary>The signing secret `sandbox trigger --url` signs with when --secret is not given (the name handlers commonly read).</summary>
    public const string WebhookSecret = "STRIPE_WEBHOOK_SECRET";

    /// <summary>Every variable we read, with what it means, as `--help` lists them.</summary>
    public static readonly IReadOnlyList<(string Name, string Meaning)> All =
    [
        (ApiKey, "Stripe secret or restricted key (sk_… or rk_…); --api-key overrides it"),
        (Config, "path to mcp-config.json; --config overrides it"),
        (ApiBase, $"Stripe API base URL (default {ServerOptions.DefaultApiBase}); --stripe-api-base overrides it"),
        (HttpTokens, "comma-separated bearer tokens --http accepts, besides the config file's http.tokens"),
        (Postgres, "PostgreSQL connection string of a state store several instances share (limits' totals, idempotency keys, audit chain); overrides state.postgres"),
        (OAuthClientSecret, "client secret of http.oauth.introspection's client at the authorization server (opaque access tokens are introspected with it)"),
        (StartupTrace, "1 prints how long each start-up phase took, on stderr"),
        (WebhookSecret, "webhook signing secret(s), comma-separated: the HTTP receiver (POST /webhooks/stripe) verifies deliveries with them (besides webhooks.secrets); `sandbox trigger --url` signs with the first unless --secret"),
    ];
}
