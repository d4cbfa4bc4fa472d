using Serilog.Events;

namespace StripeMcp.Configuration;

/// <summary>What the command line, the environment and mcp-config.json add up to, validated.</summary>
internal sealed record ServerOptions
{
    public const string DefaultApiBase = "https://api.stripe.com";

    /// <summary>The key used against the built-in sandbox; a real key is never sent there.</summary>
    public const string SandboxKey = "sk_test_sandbox";

    /// <summary>The Stripe key. Comes from --api-key or STRIPE_SECRET_KEY only; never from the config file.</summary>
    public string? ApiKey { get; init; }
    public string ApiBase { get; init; } = DefaultApiBase;

    /// <summary>Connect account every call is made on behalf of (Stripe-Account header), if any.</summary>
    public string? Account { get; init; }

    /// <summary>
    /// Connected accounts a call may name in its `account` argument (context.accounts); "*" allows any.
    /// Null: the argument does not exist.
    /// </summary>
    public IReadOnlySet<string>? AccountAllowList { get; init; }

    /// <summary>Allowed permissions, canonical "resource.action" keys (e.g. "paymentLinks.create").</summary>
    public IReadOnlySet<string> Permissions { get; init; } = new HashSet<string>();

    /// <summary>Tool names enabled in addition to <see cref="Permissions"/> (tools.allow).</summary>
    public IReadOnlySet<string> AllowTools { get; init; } = new HashSet<string>();

    /// <summary>Tool names never enabled, whatever else says (tools.deny).</summary>
    public IReadOnlySet<string> DenyTools { get; init; } = new HashSet<string>();

    public bool ReadOnly { get; init; }

    /// <summary>
    /// Compact (--compact, "compact": true): the generic tools stand in for the typed ones, so the tool list stays small;
    /// every enabled operation, a typed tool's among them, is reached through them under the same checks.
    /// </summary>
    public bool Compact { get; init; }
    public int MaxNetworkRetries { get; init; } = 2;
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;
    public string? ConfigPath { get; init; }

    /// <summary>Where the allow-list came from, for the start-up log line: "--tools", "config file" or "nothing".</summary>
    public string AllowListSource { get; init; } = "nothing";

    /// <summary>Streamable HTTP settings; Http.Enabled is false for stdio.</summary>
    public HttpSettings Http { get; init; } = new();

    /// <summary>Mutating tools return the request they would send instead of sending it.</summary>
    public bool DryRun { get; init; }

    public LimitSettings Limits { get; init; } = new();

    /// <summary>Per-tool human confirmation: true = ask, false = never ask ("off"). Others: ask when destructive.</summary>
    public IReadOnlyDictionary<string, bool> Confirm { get; init; } = new Dictionary<string, bool>();

    /// <summary>Audit trail: a JSON-lines file (appended to, never renamed), and whether to keep emails and card-like numbers unmasked.</summary>
    public string? AuditLogPath { get; init; }

    /// <summary>The SQLite file of the state store (--state, state.path, else <see cref="DefaultStatePath"/>); null with PostgreSQL.</summary>
    public string? StatePath { get; init; }

    /// <summary>A PostgreSQL connection string for a state store shared by several instances (never shown), and where it came from.</summary>
    public string? StatePostgres { get; init; }
    public string? StatePostgresFrom { get; init; }
    public bool AuditPersonalData { get; init; }

    /// <summary>Signing secrets (whsec_…) the HTTP receiver (POST /webhooks/stripe) verifies deliveries with; never shown.</summary>
    public IReadOnlyList<string> WebhookSecrets { get; init; } = [];

    /// <summary>Serve against the built-in sandbox (started in-process) instead of Stripe.</summary>
    public bool Sandbox { get; init; }

    /// <summary>
    /// stripe-mcp/state.db in the user's state directory: $XDG_STATE_HOME (else ~/.local/state) on Linux,
    /// ~/Library/Application Support on macOS, %LOCALAPPDATA% on Windows.
    /// </summary>
    public static string DefaultStatePath(Func<string, string?> env)
    {
        string root;
        if (OperatingSystem.IsWindows()) root = env("LOCALAPPDATA") is { Length: > 0 } local ? local : Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else if (OperatingSystem.IsMacOS()) root = Path.Combine(Home(env), "Library", "Application Support");
        else root = env("XDG_STATE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg) ? xdg : Path.Combine(Home(env), ".local", "state");
        return Path.Combine(root, "stripe-mcp", "state.db");
    }

    private static string Home(Func<string, string?> env) =>
        env("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
