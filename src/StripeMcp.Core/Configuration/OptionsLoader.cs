using Serilog.Events;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

/// <summary>
/// Merges the command line, the environment and mcp-config.json into <see cref="ServerOptions"/>
/// (flags override environment, which overrides the file) and collects every problem, each
/// naming where it is and, when a name is close to a real one, what was probably meant.
/// Nothing starts unless the list of problems is empty.
/// </summary>
internal static partial class OptionsLoader
{
    public sealed record Result(ServerOptions Options, IReadOnlyList<string> Problems)
    {
        public bool Ok => Problems.Count == 0;
    }

    private static readonly Dictionary<string, LogEventLevel> LogLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogEventLevel.Verbose, ["verbose"] = LogEventLevel.Verbose, ["debug"] = LogEventLevel.Debug,
        ["information"] = LogEventLevel.Information, ["info"] = LogEventLevel.Information,
        ["warning"] = LogEventLevel.Warning, ["warn"] = LogEventLevel.Warning,
        ["error"] = LogEventLevel.Error, ["fatal"] = LogEventLevel.Fatal, ["critical"] = LogEventLevel.Fatal,
    };

    /// <param name="toServe">
    /// The options are for serving (or for judging whether they would serve, as `config validate` does): a
    /// missing API key is then a problem. `tools` only lists, so it passes false and needs no key.
    /// </param>
    public static Result Load(CommandLineInputs cli, Func<string, string?> env, bool toServe = false)
    {
        var problems = new List<string>();
        var configPath = NonEmpty(cli.Config) ?? NonEmpty(env(EnvVars.Config));
        var file = configPath is null ? ConfigFile.Empty : ConfigFile.Read(configPath, problems);

        // Allow-list: --tools/--toolsets replace the file's (actions, toolsets, tools.allow); deny and read-only always add up.
        var permissions = new HashSet<string>(StringComparer.Ordinal);
        var allow = new HashSet<string>(StringComparer.Ordinal);
        string source;
        if (cli.Tools is not null || cli.Toolsets is not null)
        {
            if (cli.Tools is not null) ParseToolsFlag(cli.Tools, permissions, problems);
            if (cli.Toolsets is not null)
            {
                var names = cli.Toolsets.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                if (names.Length == 0) problems.Add($"--toolsets: empty; give \"all\" or names from: {string.Join(", ", ToolCatalog.ToolsetNames)}");
                foreach (var name in names) AddToolset(name, "--toolsets", permissions, problems);
            }
            source = cli.Tools is not null && cli.Toolsets is not null ? "--tools and --toolsets" : cli.Tools is not null ? "--tools" : "--toolsets";
        }
        else
        {
            permissions.UnionWith(file.Permissions);
            allow.UnionWith(file.Allow);
            source = configPath is null ? "nothing" : "config file";
        }

        var apiKey = NonEmpty(cli.ApiKey) ?? NonEmpty(env(EnvVars.ApiKey));
        var keyWhere = cli.ApiKey is not null ? "--api-key" : EnvVars.ApiKey;
        if (apiKey is not null) ValidateKey(apiKey, keyWhere, problems);
        var allowLive = cli.AllowLive || file.AllowLive;
        // Only a well-formed key is judged live (a malformed one already has its problem), and only its
        // sk_live/rk_live prefix is shown.
        if (apiKey is not null && !cli.Sandbox && KeyRegex().IsMatch(apiKey) && apiKey.Contains("_live_", StringComparison.Ordinal) && !allowLive)
            problems.Add($"{keyWhere}: this is a live key ({Redactor.KeyPrefix(apiKey)}_…): calls would move real money. Refused unless you pass --allow-live (or \"allowLive\": true in the config). Prefer a restricted key (rk_live_…) limited to the tools you enable, and try your agent on a test key or --sandbox first.");
        if (cli.Sandbox)
        {
            // The sandbox gets its own key: a real one is never sent anywhere in sandbox mode.
            apiKey = ServerOptions.SandboxKey;
            if (cli.StripeApiBase is not null) problems.Add("--sandbox: cannot be combined with --stripe-api-base (the sandbox is the API base)");
            if (NonEmpty(cli.State) is not null)
                problems.Add("--state: the sandbox keeps limits' totals, idempotency keys and the audit chain in memory, with its own objects, so nothing of a demo outlives it or counts against a real account; drop --state, or --sandbox to keep them in that file");
            if (source == "nothing")
            {
                permissions.UnionWith(Api.ApiPermissions.All);
                source = "--sandbox (all tools)";
            }
        }

        if (toServe && apiKey is null)
            problems.Add($"no Stripe API key: set {EnvVars.ApiKey} or pass --api-key (a restricted key, rk_…, limited to what the tools need, is recommended), or try --sandbox");

        var account = NonEmpty(cli.StripeAccount) ?? file.Account;
        if (cli.StripeAccount is not null) ValidateAccount(cli.StripeAccount, "--stripe-account", problems);

        var postgres = NonEmpty(env(EnvVars.Postgres)) ?? file.StatePostgres;
        var postgresFrom = NonEmpty(env(EnvVars.Postgres)) is not null ? EnvVars.Postgres : "state.postgres";
        if (postgres is not null && NonEmpty(cli.State) is not null)
            problems.Add($"--state: names a SQLite file, but {postgresFrom} names a PostgreSQL state store; use one");
        else if (postgres is not null && file.StatePath is not null && postgresFrom == "state.postgres")
            problems.Add("state: has both path and postgres; use one");
        if (postgres is not null)
        {
            try { State.PostgresStateStore.Parse(postgres, postgresFrom); }
            catch (State.StateUnavailable e) { problems.Add(e.Message); }
        }
        var apiBase = NonEmpty(cli.StripeApiBase) ?? NonEmpty(env(EnvVars.ApiBase)) ?? ServerOptions.DefaultApiBase;
        ValidateApiBase(apiBase, cli.StripeApiBase is not null ? "--stripe-api-base" : EnvVars.ApiBase, problems);

        var level = LogEventLevel.Information;
        if (cli.LogLevel is not null && !LogLevels.TryGetValue(cli.LogLevel, out level))
            problems.Add($"--log-level: unknown level \"{cli.LogLevel}\"; use one of trace, debug, information, warning, error, critical");

        var auditLog = NonEmpty(cli.AuditLog) ?? file.AuditPath;
        if (auditLog is not null && AuditLogProblem(auditLog) is { } auditProblem)
            problems.Add($"{(NonEmpty(cli.AuditLog) is not null ? "--audit-log" : "audit.path")}: {auditProblem}");

        var retries = cli.MaxNetworkRetries ?? 2;
        if (retries is < 0 or > 10) problems.Add($"--max-network-retries: must be from 0 to 10, got {retries}");

        var http = file.Http with { Enabled = cli.Http, Stateful = cli.Stateful };
        if (NonEmpty(cli.Host) is { } host) http = http with { Host = host };
        if (cli.Port is { } port)
        {
            if (port is < 0 or > 65535) problems.Add($"--port: must be from 0 to 65535, got {port}");
            http = http with { Port = port };
        }
        if (NonEmpty(env(EnvVars.HttpTokens)) is { } envTokens)
            http = http with
            {
                Tokens = [.. http.Tokens, .. envTokens.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select((t, i) => new TokenPolicy { Name = $"env-{i + 1}", Sha256 = TokenPolicy.Hash(t) })],
            };
        if (http.OAuth?.Introspection is { } introspection)
        {
            if (NonEmpty(env(EnvVars.OAuthClientSecret)) is { } secret)
                http = http with { OAuth = http.OAuth with { Introspection = introspection with { ClientSecret = secret } } };
            else if (http.Enabled)
                problems.Add($"http.oauth.introspection: {EnvVars.OAuthClientSecret} is not set; it holds the secret of client \"{introspection.ClientId}\" at the authorization server (it is never read from the config file)");
        }
        if (http.Enabled) ValidateHttp(http, account, file.Accounts, problems);
        else
        {
            // Said on the command line, they would otherwise be silently ignored by a stdio server.
            if (cli.Host is not null) problems.Add("--host: only applies with --http (stdio has no address to bind)");
            if (cli.Port is not null) problems.Add("--port: only applies with --http (stdio has no port)");
            if (cli.Stateful) problems.Add("--stateful: only applies with --http");
        }

        // A typed tool allowed by name is that tool, with its narrow arguments; compact mode publishes no typed tool, and
        // reaching its operation through the generic tools would open every parameter of it (pause_subscription would
        // become any subscription update). Refused rather than widened.
        if ((cli.Compact || file.Compact) && allow.Where(name => ToolCatalog.Find(name) is not null).Order(StringComparer.Ordinal).ToList() is { Count: > 0 } typedByName)
            problems.Add($"compact: tools.allow names typed tools ({string.Join(", ", typedByName)}), which compact mode does not publish, and through the generic tools their whole operations would be open; allow their permissions instead ({string.Join(", ", typedByName.Select(n => ToolCatalog.Find(n)!.Permission).Distinct())}), or turn compact off");

        var options = new ServerOptions
        {
            ApiKey = apiKey,
            ApiBase = apiBase.TrimEnd('/'),
            Account = account,
            Permissions = permissions,
            AllowTools = allow,
            DenyTools = file.Deny,
            ReadOnly = cli.ReadOnly || file.ReadOnly,
            Compact = cli.Compact || file.Compact,
            MaxNetworkRetries = retries,
            LogLevel = level,
            ConfigPath = configPath,
            AccountAllowList = file.Accounts,
            AllowListSource = source,
            Sandbox = cli.Sandbox,
            Http = http,
            DryRun = cli.DryRun,
            Limits = file.Limits,
            Confirm = file.Confirm,
            AuditLogPath = auditLog,
            AuditPersonalData = file.AuditPersonalData,
            StatePath = NonEmpty(cli.State) ?? file.StatePath ?? (postgres is null ? ServerOptions.DefaultStatePath(env) : null),
            StatePostgres = postgres,
            StatePostgresFrom = postgres is null ? null : postgresFrom,
            WebhookSecrets = [.. file.WebhookSecrets, .. WebhookSecretsFromEnv(env(EnvVars.WebhookSecret), problems)],
        };
        return new Result(options, problems);
    }

    /// <summary>
    /// Why the audit file cannot be what it names, checked without creating anything (the log's writer would otherwise
    /// fail silently): a folder, or under a file. Whether it can be written is tried when the server starts
    /// (<see cref="OpenAuditLog"/>).
    /// </summary>
    private static string? AuditLogProblem(string path)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) return $"{path} is a folder; name the file to append the audit trail to";
        for (var folder = Path.GetDirectoryName(full); folder is not null; folder = Path.GetDirectoryName(folder))
            if (File.Exists(folder)) return $"{folder} is a file, not a folder";
            else if (Directory.Exists(folder)) return null;
        return null;
    }

    /// <summary>Opens the audit file for appending as the log's writer will (its folders created), and says why it cannot.</summary>
    public static string? OpenAuditLog(string path)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using var _ = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"--audit-log / audit.path: {path} cannot be written: {e.Message}";
        }
    }

    /// <summary>$STRIPE_WEBHOOK_SECRET: one secret, or several separated by commas.</summary>
    private static IEnumerable<string> WebhookSecretsFromEnv(string? value, List<string> problems)
    {
        foreach (var s in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IsWebhookSecret(s)) yield return s;
            else problems.Add($"{EnvVars.WebhookSecret}: holds a value that is not a webhook signing secret (whsec_ and at least 16 letters or digits)");
        }
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
