using System.Text.Json;
using System.Text.RegularExpressions;
using Serilog.Events;
using StripeMcp.Tools;
using StripeMcp.Api;
using StripeMcp.State;
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

    private static readonly string[] TopLevelKeys = ["$schema", "actions", "toolsets", "context", "tools", "readOnly", "http", "allowLive", "limits", "confirm", "audit", "state", "webhooks"];
    private static readonly string[] LimitKeys = ["maxAmount", "maxTotal", "window", "currencies"];
    private static readonly string[] AuditKeys = ["path", "includePersonalData"];
    private static readonly string[] StateKeys = ["path", "postgres"];
    private static readonly string[] OAuthKeys = ["issuer", "resource", "metadata", "requiredScopes", "scopes", "introspection"];
    private static readonly string[] ScopeGrantKeys = ["actions", "toolsets", "readOnly"];
    private static readonly string[] HttpKeys = ["tokens", "oauth", "allowedHosts", "allowedOrigins", "maxBodyBytes", "rateLimitPerMinute", "requestTimeoutSeconds"];
    private static readonly string[] TokenKeys = ["name", "sha256", "actions", "toolsets", "deny", "readOnly", "account", "rateLimitPerMinute"];
    private static readonly string[] ContextKeys = ["account", "accounts"];
    private static readonly string[] ToolsKeys = ["allow", "deny"];
    public static readonly string[] ActionNames = ["read", "create", "update", "delete"];

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

        var options = new ServerOptions
        {
            ApiKey = apiKey,
            ApiBase = apiBase.TrimEnd('/'),
            Account = account,
            Permissions = permissions,
            AllowTools = allow,
            DenyTools = file.Deny,
            ReadOnly = cli.ReadOnly || file.ReadOnly,
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
            AuditLogPath = NonEmpty(cli.AuditLog) ?? file.AuditPath,
            AuditPersonalData = file.AuditPersonalData,
            StatePath = NonEmpty(cli.State) ?? file.StatePath,
            StatePostgres = postgres,
            StatePostgresFrom = postgres is null ? null : postgresFrom,
            WebhookSecrets = [.. file.WebhookSecrets, .. WebhookSecretsFromEnv(env(EnvVars.WebhookSecret), problems)],
        };
        return new Result(options, problems);
    }

    /// <summary>
    /// <c>all</c>, or comma-separated <c>resource.action</c> keys as @stripe/mcp accepts them.
    /// Keys add up: "customers.create,customers.read" enables both.
    /// </summary>
    public static void ParseToolsFlag(string value, HashSet<string> permissions, List<string> problems)
    {
        var items = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (items.Length == 0) { problems.Add("--tools: empty; give \"all\" or keys like customers.read,refunds.create"); return; }
        foreach (var item in items)
        {
            if (item.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                permissions.UnionWith(Api.ApiPermissions.All);
                continue;
            }
            var dot = item.IndexOf('.');
            if (dot <= 0 || dot == item.Length - 1)
            {
                var toolHint = ToolCatalog.Find(item) is { } t ? $" (\"{item}\" is a tool; its key is {t.Permission})" : "";
                problems.Add($"--tools: \"{item}\" is not a resource.action key like customers.read{toolHint}");
                continue;
            }
            if (CanonicalPermission(item[..dot], item[(dot + 1)..], $"--tools \"{item}\"", problems) is { } key)
                permissions.Add(key);
        }
    }

    /// <summary>
    /// The canonical "resource.action" key, or null after adding a problem. Resources may be camelCase
    /// (paymentLinks) or snake_case (payment_links).
    /// </summary>
    public static string? CanonicalPermission(string resource, string action, string where, List<string> problems) =>
        CanonicalResource(resource, where, problems) is { } camel && CheckAction(camel, action, where, problems)
            ? $"{camel}.{action}" : null;

    /// <summary>The camelCase resource name, or null after adding a problem.</summary>
    public static string? CanonicalResource(string resource, string where, List<string> problems)
    {
        var camel = SnakeRegex().Replace(resource, m => m.Groups[1].Value.ToUpperInvariant());
        if (Api.ApiPermissions.Actions.ContainsKey(camel)) return camel;
        problems.Add($"{where}: unknown resource \"{resource}\"{DidYouMean(resource, Api.ApiPermissions.Actions.Keys)}; known resources: {string.Join(", ", Api.ApiPermissions.Actions.Keys.Order())}");
        return null;
    }

    private static bool CheckAction(string resource, string action, string where, List<string> problems)
    {
        var actions = Api.ApiPermissions.Actions[resource];
        if (actions.Contains(action)) return true;
        var known = string.Join(", ", ActionNames.Where(actions.Contains));
        problems.Add(ActionNames.Contains(action)
            ? $"{where}: resource \"{resource}\" has no \"{action}\" tools; it has: {known}"
            : $"{where}: unknown action \"{action}\"{DidYouMean(action, ActionNames)}; \"{resource}\" has: {known}");
        return false;
    }

    private static void ValidateHttp(HttpSettings http, string? account, IReadOnlySet<string>? accounts, List<string> problems)
    {
        if (!HttpSettings.IsLoopback(http.Host) && http.Tokens.Count == 0 && http.OAuth is null)
            problems.Add($"--host {http.Host}: serving beyond loopback needs at least one bearer token ({EnvVars.HttpTokens}, or SHA-256 hashes in http.tokens of the config file) or OAuth (http.oauth); refusing to expose a Stripe key without one");
        foreach (var dup in http.Tokens.GroupBy(t => t.Name).Where(g => g.Count() > 1))
            problems.Add($"http.tokens: the name \"{dup.Key}\" is used {dup.Count()} times; token names must be unique");
        foreach (var t in http.Tokens.Where(t => t.Account is not null))
        {
            if (account is not null && t.Account != account)
                problems.Add($"http.tokens[{t.Name}].account: {t.Account} would widen the server's fixed account {account}; a token can only narrow the server's policy");
            else if (accounts is not null && !accounts.Contains("*") && !accounts.Contains(t.Account!) && t.Account != account)
                problems.Add($"http.tokens[{t.Name}].account: {t.Account} is not in context.accounts; a token can only narrow the server's policy");
        }
    }

    /// <summary>Every permission of every resource in the toolset ("all": everything).</summary>
    internal static void AddToolset(string name, string where, HashSet<string> permissions, List<string> problems)
    {
        if (name == "all") permissions.UnionWith(Api.ApiPermissions.All);
        else if (ToolCatalog.Toolsets.TryGetValue(name, out var resources))
            permissions.UnionWith(Api.ApiPermissions.All.Where(p => resources.Contains(p[..p.IndexOf('.')])));
        else problems.Add($"{where}: unknown toolset \"{name}\"{DidYouMean(name, ToolCatalog.ToolsetNames)}; toolsets: {string.Join(", ", ToolCatalog.ToolsetNames)}");
    }

    /// <summary>Names to suggest for a mistyped tool: tools' names, and operation ids when it looks like one (PostQuotes…).</summary>
    private static IEnumerable<string> ToolOrOperationNames(string typed) =>
        typed.Length > 3 && char.IsUpper(typed[0]) && (typed.StartsWith("Get", StringComparison.Ordinal) || typed.StartsWith("Post", StringComparison.Ordinal) || typed.StartsWith("Delete", StringComparison.Ordinal))
            ? Api.ApiCatalog.All.Select(o => o.Id) : Inventory.Names;

    /// <summary>$STRIPE_WEBHOOK_SECRET: one secret, or several separated by commas.</summary>
    private static IEnumerable<string> WebhookSecretsFromEnv(string? value, List<string> problems)
    {
        foreach (var s in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IsWebhookSecret(s)) yield return s;
            else problems.Add($"{EnvVars.WebhookSecret}: holds a value that is not a webhook signing secret (whsec_ and at least 16 letters or digits)");
        }
    }

    public static bool IsWebhookSecret(string s) => s.StartsWith("whsec_", StringComparison.Ordinal) && s.Length >= 22 && s[6..].All(char.IsAsciiLetterOrDigit);

    public static string DidYouMean(string typed, IEnumerable<string> candidates) =>
        Suggest.Closest(typed, candidates) is { } s ? $" (did you mean \"{s}\"?)" : "";

    public static void ValidateKey(string key, string where, List<string> problems)
    {
        if (KeyRegex().IsMatch(key)) return;
        var hint = key.StartsWith("pk_", StringComparison.Ordinal) ? " (a publishable key, pk_…, cannot call these APIs)"
            : key.StartsWith("whsec_", StringComparison.Ordinal) ? " (whsec_… is a webhook signing secret, not an API key)"
            : "";
        // Never echo the value: it may be a real secret with a typo.
        problems.Add($"{where}: not a Stripe secret or restricted key{hint}; expected sk_test_…, rk_test_…, sk_live_… or rk_live_… (a restricted rk_ key is recommended)");
    }

    public static bool IsAccountId(string s) => AccountRegex().IsMatch(s);

    public static void ValidateAccount(string account, string where, List<string> problems)
    {
        if (!IsAccountId(account))
            problems.Add($"{where}: \"{Redactor.Redact(account)}\" is not a Stripe account id; expected acct_ followed by letters and digits, e.g. acct_1Nv0FGQ9RKHgCVdK");
    }

    private static void ValidateApiBase(string value, string where, List<string> problems)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            problems.Add($"{where}: \"{LogText.Safe(value, 120)}\" is not an http(s) base URL like https://api.stripe.com or http://127.0.0.1:12111");
        // The base is shown (start-up line, /readyz, network errors): credentials in it would be shown with it.
        else if (uri.UserInfo.Length > 0)
            problems.Add($"{where}: must not carry credentials (user:password@): the API base is shown in logs, /readyz and errors; put a proxy's credentials in the proxy's own configuration");
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    [GeneratedRegex("_([a-z])")]
    private static partial Regex SnakeRegex();

    [GeneratedRegex("^(sk|rk)_(test|live)_[A-Za-z0-9]+$")]
    private static partial Regex KeyRegex();

    [GeneratedRegex("^acct_[A-Za-z0-9]+$")]
    private static partial Regex AccountRegex();

    /// <summary>mcp-config.json, read and checked; every problem names its JSON path.</summary>
    private sealed record ConfigFile(HashSet<string> Permissions, HashSet<string> Allow, HashSet<string> Deny, string? Account, bool ReadOnly, HashSet<string>? Accounts = null)
    {
        public HttpSettings Http { get; init; } = new();
        public bool AllowLive { get; init; }
        public LimitSettings Limits { get; init; } = new();
        public IReadOnlyDictionary<string, bool> Confirm { get; init; } = new Dictionary<string, bool>();
        public string? AuditPath { get; init; }
        public bool AuditPersonalData { get; init; }
        public string? StatePath { get; init; }
        public string? StatePostgres { get; init; }
        public IReadOnlyList<string> WebhookSecrets { get; init; } = [];

        public static ConfigFile Empty => new([], [], [], null, false);

        public static ConfigFile Read(string path, List<string> problems)
        {
            var result = Empty;
            string text;
            try { text = File.ReadAllText(path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"{path}: cannot read the config file: {e.Message}");
                return result;
            }

            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                problems.Add($"{path}: not valid JSON at line {e.LineNumber + 1}, column {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
                return result;
            }

            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{path}: $: must be a JSON object like {{\"actions\": {{\"customers\": {{\"read\": true}}}}}}");
                    return result;
                }
                var account = (string?)null;
                var readOnly = false;
                HashSet<string>? accounts = null;
                var http = new HttpSettings();
                var allowLive = false;
                var limits = new LimitSettings();
                IReadOnlyDictionary<string, bool> confirm = new Dictionary<string, bool>();
                string? auditPath = null, statePath = null, statePostgres = null;
                IReadOnlyList<string> webhookSecrets = [];
                var personal = false;
                foreach (var p in root.EnumerateObject())
                {
                    var at = $"{path}: $.{p.Name}";
                    switch (p.Name)
                    {
                        case "$schema": break;
                        case "actions": ReadActions(p.Value, at, result.Permissions, problems); break;
                        case "toolsets":
                            if (p.Value.ValueKind != JsonValueKind.Array) { problems.Add($"{at}: must be an array of toolset names, like [\"customers\", \"billing\"]"); break; }
                            var i = 0;
                            foreach (var t in p.Value.EnumerateArray())
                            {
                                if (t.ValueKind == JsonValueKind.String) AddToolset(t.GetString()!, $"{at}[{i}]", result.Permissions, problems);
                                else problems.Add($"{at}[{i}]: must be a toolset name string");
                                i++;
                            }
                            break;
                        case "context":
                            if (!ExpectObject(p.Value, at, ContextKeys, problems)) break;
                            if (p.Value.TryGetProperty("account", out var acct))
                            {
                                if (acct.ValueKind == JsonValueKind.String) { account = acct.GetString(); ValidateAccount(account!, at + ".account", problems); }
                                else if (acct.ValueKind != JsonValueKind.Null) problems.Add($"{at}.account: must be a string like \"acct_123\"");
                            }
                            if (p.Value.TryGetProperty("accounts", out var list)) accounts = ReadAccounts(list, at + ".accounts", problems);
                            break;
                        case "tools":
                            if (!ExpectObject(p.Value, at, ToolsKeys, problems)) break;
                            if (p.Value.TryGetProperty("allow", out var allow)) ReadToolNames(allow, at + ".allow", result.Allow, problems);
                            if (p.Value.TryGetProperty("deny", out var deny)) ReadToolNames(deny, at + ".deny", result.Deny, problems, operations: true);
                            break;
                        case "readOnly":
                            readOnly = Bool(p.Value, at, problems) ?? readOnly;
                            break;
                        case "http":
                            if (ExpectObject(p.Value, at, HttpKeys, problems)) http = ReadHttp(p.Value, at, problems);
                            break;
                        case "allowLive":
                            allowLive = Bool(p.Value, at, problems) ?? allowLive;
                            break;
                        case "limits":
                            limits = ReadLimits(p.Value, at, problems);
                            break;
                        case "confirm":
                            confirm = ReadConfirm(p.Value, at, problems);
                            break;
                        case "audit":
                            if (!ExpectObject(p.Value, at, AuditKeys, problems)) break;
                            if (p.Value.TryGetProperty("path", out var ap))
                            {
                                if (ap.ValueKind == JsonValueKind.String && ap.GetString()!.Length > 0) auditPath = ap.GetString();
                                else problems.Add($"{at}.path: must be a file path");
                            }
                            if (p.Value.TryGetProperty("includePersonalData", out var pd)) personal = Bool(pd, at + ".includePersonalData", problems) ?? personal;
                            break;
                        case "state":
                            if (!ExpectObject(p.Value, at, StateKeys, problems)) break;
                            if (p.Value.TryGetProperty("path", out var sp))
                            {
                                if (sp.ValueKind == JsonValueKind.String && sp.GetString()!.Length > 0) statePath = sp.GetString();
                                else problems.Add($"{at}.path: must be a file path");
                            }
                            if (p.Value.TryGetProperty("postgres", out var pg))
                            {
                                if (pg.ValueKind == JsonValueKind.String && pg.GetString()!.Length > 0) statePostgres = pg.GetString();
                                else problems.Add($"{at}.postgres: must be a PostgreSQL connection string");
                            }
                            break;
                        case "webhooks":
                            if (!ExpectObject(p.Value, at, ["secrets"], problems)) break;
                            if (p.Value.TryGetProperty("secrets", out var ws)) webhookSecrets = ReadWebhookSecrets(ws, at + ".secrets", problems);
                            break;
                        case "apiKey" or "api_key" or "secretKey":
                            problems.Add($"{at}: the API key is never read from the config file (it may be committed); set {EnvVars.ApiKey} or pass --api-key");
                            break;
                        default:
                            problems.Add($"{at}: unknown key{DidYouMean(p.Name, TopLevelKeys)}; allowed: {string.Join(", ", TopLevelKeys)}");
                            break;
                    }
                }
                return result with
                {
                    Account = account, ReadOnly = readOnly, Accounts = accounts, Http = http, AllowLive = allowLive,
                    Limits = limits, Confirm = confirm, AuditPath = auditPath, AuditPersonalData = personal, StatePath = statePath, StatePostgres = statePostgres,
                    WebhookSecrets = webhookSecrets,
                };
            }
        }

        private static void ReadActions(JsonElement actions, string at, HashSet<string> permissions, List<string> problems)
        {
            if (actions.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object of resource → action → true/false, like {{\"customers\": {{\"read\": true}}}}");
                return;
            }
            foreach (var resource in actions.EnumerateObject())
            {
                var rat = $"{at}.{resource.Name}";
                if (resource.Value.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{rat}: must be an object of action → true/false, like {{\"read\": true, \"create\": false}}");
                    continue;
                }
                if (CanonicalResource(resource.Name, rat, problems) is not { } camel) continue;
                foreach (var action in resource.Value.EnumerateObject())
                {
                    var aat = $"{rat}.{action.Name}";
                    if (action.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        problems.Add($"{aat}: must be true or false");
                    // Check the key even when false: a misspelt "false" is as wrong as a misspelt "true".
                    else if (CheckAction(camel, action.Name, aat, problems) && action.Value.GetBoolean())
                        permissions.Add($"{camel}.{action.Name}");
                }
            }
        }

        private static LimitSettings ReadLimits(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object like {{\"currencies\": [\"usd\"], \"refunds\": {{\"maxAmount\": {{\"usd\": 10000}}}}}}");
                return new();
            }
            var keys = ToolCatalog.LimitKeys;
            IReadOnlySet<string>? currencies = null;
            var rules = new List<LimitRule>();
            foreach (var p in e.EnumerateObject())
            {
                var pat = $"{at}.{p.Name}";
                if (p.Name == "currencies") { currencies = Currencies(p.Value, pat, problems); continue; }
                var key = ToolCatalog.Find(p.Name)?.Name ?? SnakeRegex().Replace(p.Name, m => m.Groups[1].Value.ToUpperInvariant());
                if (!keys.Contains(key))
                {
                    var known = ToolCatalog.Find(p.Name) is not null || Api.ApiPermissions.Actions.ContainsKey(key);
                    problems.Add(known
                        ? $"{pat}: {p.Name} moves no money, so it has no amount to limit; limits apply to: {string.Join(", ", keys)}"
                        : $"{pat}: unknown resource or tool \"{p.Name}\"{DidYouMean(p.Name, keys.Append("currencies"))}; limits apply to: {string.Join(", ", keys)}");
                    continue;
                }
                if (!ExpectObject(p.Value, pat, LimitKeys, problems)) continue;
                var maxAmount = p.Value.TryGetProperty("maxAmount", out var ma) ? Amounts(ma, pat + ".maxAmount", problems) : new Dictionary<string, long>();
                var maxTotal = p.Value.TryGetProperty("maxTotal", out var mt) ? Amounts(mt, pat + ".maxTotal", problems) : new Dictionary<string, long>();
                var window = TimeSpan.FromHours(24);
                if (p.Value.TryGetProperty("window", out var w))
                {
                    if (w.ValueKind == JsonValueKind.String && LimitSettings.ParseWindow(w.GetString()!) is { } parsed) window = parsed;
                    else problems.Add($"{pat}.window: must be a duration like \"24h\", \"30m\", \"7d\"");
                }
                else if (maxTotal.Count > 0) problems.Add($"{pat}.window: is required with maxTotal (e.g. \"24h\"): totals are rolling sums over it");
                var ruleCurrencies = p.Value.TryGetProperty("currencies", out var rc) ? Currencies(rc, pat + ".currencies", problems) : null;
                rules.Add(new LimitRule(key, maxAmount, maxTotal, window, ruleCurrencies));
            }
            return new LimitSettings { Currencies = currencies, Rules = rules };
        }

        private static IReadOnlySet<string>? Currencies(JsonElement e, string at, List<string> problems)
        {
            var list = Strings(e, at, problems);
            foreach (var c in list.Where(c => c.Length != 3 || !c.All(char.IsAsciiLetterLower)))
                problems.Add($"{at}: \"{c}\" is not a lowercase three-letter currency code like \"usd\"");
            return list.ToHashSet();
        }

        private static Dictionary<string, long> Amounts(JsonElement e, string at, List<string> problems)
        {
            var result = new Dictionary<string, long>();
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object of currency → amount in the smallest unit, like {{\"usd\": 10000}}");
                return result;
            }
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name.Length != 3 || !p.Name.All(char.IsAsciiLetterLower))
                    problems.Add($"{at}.{p.Name}: \"{p.Name}\" is not a lowercase three-letter currency code like \"usd\"");
                else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) && n >= 0) result[p.Name] = n;
                else problems.Add($"{at}.{p.Name}: must be a whole amount >= 0 in the currency's smallest unit (10000 = $100.00)");
            }
            return result;
        }

        /// <summary>Webhook signing secrets (whsec_…) the HTTP receiver verifies deliveries with.</summary>
        private static IReadOnlyList<string> ReadWebhookSecrets(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Array) { problems.Add($"{at}: must be an array of signing secrets (whsec_…)"); return []; }
            var list = new List<string>();
            var i = 0;
            foreach (var s in e.EnumerateArray())
            {
                if (s.ValueKind == JsonValueKind.String && IsWebhookSecret(s.GetString()!)) list.Add(s.GetString()!);
                else problems.Add($"{at}[{i}]: must be a webhook signing secret (whsec_ and at least 16 letters or digits)");
                i++;
            }
            return list;
        }

        /// <summary>{"tool": "on" | "off" | true | false} or ["tool", …] (on).</summary>
        private static IReadOnlyDictionary<string, bool> ReadConfirm(JsonElement e, string at, List<string> problems)
        {
            var result = new Dictionary<string, bool>();
            void Tool(string name, string where, bool on)
            {
                if (ToolCatalog.Find(name) is { } tool) result[tool.Name] = on;
                // An operation id of the generic path too; only a name that is no tool's builds the catalog.
                else if (Api.ApiCatalog.Find(name) is { } op) result[op.Id] = on;
                else
                    problems.Add($"{where}: unknown tool \"{name}\"{DidYouMean(name, ToolOrOperationNames(name))} (an operation id of the generic path, from stripe_api_search, is taken too)");
            }
            if (e.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var n in e.EnumerateArray())
                {
                    if (n.ValueKind == JsonValueKind.String) Tool(n.GetString()!, $"{at}[{i}]", true);
                    else problems.Add($"{at}[{i}]: must be a tool name");
                    i++;
                }
            }
            else if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (var p in e.EnumerateObject())
                {
                    bool? on = p.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        JsonValueKind.String when p.Value.GetString() == "on" => true,
                        JsonValueKind.String when p.Value.GetString() == "off" => false,
                        _ => null,
                    };
                    if (on is null) problems.Add($"{at}.{p.Name}: must be \"on\" or \"off\"");
                    else Tool(p.Name, $"{at}.{p.Name}", on.Value);
                }
            }
            else problems.Add($"{at}: must be an object like {{\"create_refund\": \"on\", \"cancel_subscription\": \"off\"}} or an array of tool names");
            return result;
        }

        private static HttpSettings ReadHttp(JsonElement e, string at, List<string> problems)
        {
            var http = new HttpSettings();
            if (e.TryGetProperty("tokens", out var tokens))
            {
                if (tokens.ValueKind != JsonValueKind.Array) problems.Add($"{at}.tokens: must be an array of {{\"name\", \"sha256\", …}} objects");
                else http = http with { Tokens = tokens.EnumerateArray().Select((t, i) => ReadToken(t, $"{at}.tokens[{i}]", problems)).OfType<TokenPolicy>().ToList() };
            }
            if (e.TryGetProperty("oauth", out var oauth) && ExpectObject(oauth, at + ".oauth", OAuthKeys, problems))
            {
                string? Url(string key, bool required)
                {
                    if (oauth.TryGetProperty(key, out var v)) return CheckUrl(v, $"{at}.oauth.{key}");
                    if (required) problems.Add($"{at}.oauth.{key}: is required");
                    return null;
                }
                string? CheckUrl(JsonElement v, string where)
                {
                    var s = v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    // https, or http on a loopback name (a test or a local authorization server).
                    if (s is null || !Uri.TryCreate(s, UriKind.Absolute, out var u) || !(u.Scheme == "https" || (u.Scheme == "http" && HttpSettings.IsLoopback(u.Host))) || u.Fragment.Length > 0 || u.Query.Length > 0 || u.UserInfo.Length > 0)
                    {
                        problems.Add($"{where}: must be an https URL (http only on a loopback name), without user info, query or fragment");
                        return null;
                    }
                    return s;
                }
                // One issuer, or a list of them (several authorization servers, e.g. one for people and one for machines).
                List<string>? issuers = null;
                if (oauth.TryGetProperty("issuer", out var iss) && iss.ValueKind == JsonValueKind.Array)
                {
                    issuers = [.. iss.EnumerateArray().Select((x, i) => CheckUrl(x, $"{at}.oauth.issuer[{i}]")).OfType<string>()];
                    if (iss.GetArrayLength() == 0) problems.Add($"{at}.oauth.issuer: is empty; name the authorization server(s) whose tokens are accepted");
                    else if (issuers.Count < iss.GetArrayLength()) issuers = null;
                    else if (issuers.Distinct().Count() < issuers.Count) { problems.Add($"{at}.oauth.issuer: names an issuer twice"); issuers = null; }
                }
                else if (Url("issuer", true) is { } one) issuers = [one];
                var (resource, metadata) = (Url("resource", true), Url("metadata", false));
                var required = oauth.TryGetProperty("requiredScopes", out var rs) ? Strings(rs, at + ".oauth.requiredScopes", problems) : [];
                foreach (var bad in required.Where(r => !IsScopeToken(r))) problems.Add($"{at}.oauth.requiredScopes: \"{bad}\" is not a scope (printable ASCII, no spaces, quotes or backslashes)");
                var scopes = oauth.TryGetProperty("scopes", out var sc) ? ReadScopeGrants(sc, at + ".oauth.scopes", problems) : null;
                IntrospectionClient? introspection = null;
                if (oauth.TryGetProperty("introspection", out var intro) && ExpectObject(intro, at + ".oauth.introspection", ["clientId"], problems))
                {
                    if (intro.TryGetProperty("clientId", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } clientId)
                        introspection = new IntrospectionClient(clientId, ""); // the secret is read from the environment
                    else problems.Add($"{at}.oauth.introspection.clientId: is required: the client id this server introspects tokens as (its secret goes in {EnvVars.OAuthClientSecret})");
                }
                if (issuers is { Count: > 0 } && resource is not null)
                    http = http with { OAuth = new OAuthSettings { Issuers = issuers, Resource = resource, Metadata = metadata, RequiredScopes = required, Scopes = scopes, Introspection = introspection } };
            }
            if (e.TryGetProperty("allowedHosts", out var hosts)) http = http with { AllowedHosts = Strings(hosts, at + ".allowedHosts", problems) };
            if (e.TryGetProperty("allowedOrigins", out var origins))
            {
                var list = Strings(origins, at + ".allowedOrigins", problems);
                foreach (var o in list.Where(o => !Uri.TryCreate(o, UriKind.Absolute, out var u) || u.AbsolutePath != "/" || u.Scheme is not ("http" or "https")))
                    problems.Add($"{at}.allowedOrigins: \"{o}\" is not an origin like https://app.example.com");
                http = http with { AllowedOrigins = list };
            }
            if (e.TryGetProperty("maxBodyBytes", out var max)) http = http with { MaxBodyBytes = PositiveInt(max, at + ".maxBodyBytes", problems) ?? http.MaxBodyBytes };
            if (e.TryGetProperty("rateLimitPerMinute", out var rate)) http = http with { RateLimitPerMinute = (int?)PositiveInt(rate, at + ".rateLimitPerMinute", problems) ?? http.RateLimitPerMinute };
            if (e.TryGetProperty("requestTimeoutSeconds", out var timeout)) http = http with { RequestTimeoutSeconds = (int?)PositiveInt(timeout, at + ".requestTimeoutSeconds", problems) ?? http.RequestTimeoutSeconds };
            return http;
        }

        /// <summary>RFC 6749's scope-token: printable ASCII except space, '"' and '\\'.</summary>
        private static bool IsScopeToken(string s) => s.Length is > 0 and <= 200 && s.All(c => c is >= '!' and <= '~' && c != '"' && c != '\\');

        /// <summary>{"scope": {"actions": {…}, "toolsets": […], "readOnly": true}, …}: what each scope an access token may hold grants.</summary>
        private static Dictionary<string, ScopeGrant>? ReadScopeGrants(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.EnumerateObject().Any())
            {
                problems.Add($"{at}: must be an object of scope → grant, like {{\"billing:support\": {{\"actions\": {{\"refunds\": {{\"create\": true}}}}}}}}");
                return null;
            }
            var grants = new Dictionary<string, ScopeGrant>(StringComparer.Ordinal);
            foreach (var scope in e.EnumerateObject())
            {
                var sat = $"{at}[\"{scope.Name}\"]";
                if (!IsScopeToken(scope.Name)) { problems.Add($"{sat}: not a scope (printable ASCII, no spaces, quotes or backslashes)"); continue; }
                if (!ExpectObject(scope.Value, sat, ScopeGrantKeys, problems)) continue;
                var permissions = ReadPermissions(scope.Value, sat, problems);
                var readOnly = scope.Value.TryGetProperty("readOnly", out var ro) && Bool(ro, sat + ".readOnly", problems) == true;
                // readOnly alone: every read (as stripe:read); beside actions or toolsets: only their reads.
                var granted = readOnly ? (permissions ?? ScopeGrant.Reads).Where(ScopeGrant.IsRead).ToHashSet() : permissions;
                // A grant says what it grants: one granting nothing (by omission, or only writes under readOnly) is a mistake.
                if (granted is null || granted.Count == 0)
                    problems.Add($"{sat}: grants nothing; give \"actions\" or \"toolsets\" (\"all\" for everything) that enable something{(readOnly ? " readable (readOnly keeps only reads)" : "")}, or \"readOnly\": true alone (every read)");
                else grants[scope.Name] = new ScopeGrant(granted);
            }
            return grants;
        }

        /// <summary>The permissions an object's "actions" and "toolsets" name (a static token's, a scope's grant); null: it has neither.</summary>
        private static HashSet<string>? ReadPermissions(JsonElement e, string at, List<string> problems)
        {
            HashSet<string>? permissions = null;
            if (e.TryGetProperty("actions", out var actions)) ReadActions(actions, at + ".actions", permissions ??= [], problems);
            if (e.TryGetProperty("toolsets", out var sets))
            {
                permissions ??= [];
                foreach (var (s, i) in Strings(sets, at + ".toolsets", problems).Select((s, i) => (s, i))) AddToolset(s, $"{at}.toolsets[{i}]", permissions, problems);
            }
            return permissions;
        }

        private static TokenPolicy? ReadToken(JsonElement t, string at, List<string> problems)
        {
            if (t.ValueKind == JsonValueKind.Object && t.TryGetProperty("token", out _))
            {
                problems.Add($"{at}.token: tokens are never stored in plain text; put its SHA-256 in \"sha256\" (stripe-mcp hash-token prints it) or pass the token in {EnvVars.HttpTokens}");
                return null;
            }
            if (!ExpectObject(t, at, TokenKeys, problems)) return null;
            var name = t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : null;
            if (string.IsNullOrWhiteSpace(name)) problems.Add($"{at}.name: is required (it names the token in logs and rate limits)");
            byte[]? hash = null;
            if (t.TryGetProperty("sha256", out var h) && h.ValueKind == JsonValueKind.String && h.GetString()!.Length == 64 && h.GetString()!.All(char.IsAsciiHexDigit))
                hash = Convert.FromHexString(h.GetString()!);
            else problems.Add($"{at}.sha256: must be the 64 hex digits of the token's SHA-256 (stripe-mcp hash-token prints it)");
            var permissions = ReadPermissions(t, at, problems);
            var deny = new HashSet<string>();
            if (t.TryGetProperty("deny", out var d)) ReadToolNames(d, at + ".deny", deny, problems, operations: true);
            // Anything but true/false is refused: a token meant to be read-only must not start with write tools.
            var readOnly = t.TryGetProperty("readOnly", out var ro) && Bool(ro, at + ".readOnly", problems) == true;
            string? account = null;
            if (t.TryGetProperty("account", out var a))
            {
                account = a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (account is null) problems.Add($"{at}.account: must be an account id string like \"acct_123\"");
                else ValidateAccount(account, at + ".account", problems);
            }
            int? limit = t.TryGetProperty("rateLimitPerMinute", out var rl) ? (int?)PositiveInt(rl, at + ".rateLimitPerMinute", problems) : null;
            return name is null || hash is null ? null : new TokenPolicy
            {
                Name = name, Sha256 = hash, Permissions = permissions, Deny = deny, ReadOnly = readOnly, Account = account, RateLimitPerMinute = limit,
            };
        }

        private static List<string> Strings(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            {
                problems.Add($"{at}: must be an array of strings");
                return [];
            }
            return e.EnumerateArray().Select(x => x.GetString()!).ToList();
        }

        private static bool? Bool(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            problems.Add($"{at}: must be true or false");
            return null;
        }

        private static long? PositiveInt(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) && n > 0) return n;
            problems.Add($"{at}: must be a whole number above 0");
            return null;
        }

        /// <summary>"*" (any connected account) or a list of acct_ ids.</summary>
        private static HashSet<string>? ReadAccounts(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind == JsonValueKind.String && e.GetString() == "*") return ["*"];
            if (e.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{at}: must be \"*\" (any connected account) or an array of account ids like [\"acct_123\"]");
                return null;
            }
            var set = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var a in e.EnumerateArray())
            {
                var iat = $"{at}[{i++}]";
                if (a.ValueKind == JsonValueKind.String && a.GetString() == "*") set.Add("*");
                else if (a.ValueKind == JsonValueKind.String) { ValidateAccount(a.GetString()!, iat, problems); set.Add(a.GetString()!); }
                else problems.Add($"{iat}: must be an account id string like \"acct_123\"");
            }
            if (set.Count == 0) problems.Add($"{at}: is empty; list the connected accounts calls may name, or \"*\"");
            return set;
        }

        /// <param name="operations">A deny list also takes the generic path's operation ids (PostQuotesQuoteAccept).</param>
        private static void ReadToolNames(JsonElement names, string at, HashSet<string> into, List<string> problems, bool operations = false)
        {
            if (names.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{at}: must be an array of tool names, like [\"void_invoice\"]");
                return;
            }
            var i = 0;
            foreach (var n in names.EnumerateArray())
            {
                var iat = $"{at}[{i++}]";
                if (n.ValueKind != JsonValueKind.String) { problems.Add($"{iat}: must be a tool name string"); continue; }
                var name = n.GetString()!;
                if (ToolCatalog.Find(name) is { } tool) into.Add(tool.Name);
                else if (Inventory.FindSurface(name) is { } surface) into.Add(surface.Name);
                // Only a name that is no tool's builds the operation catalog (start-up stays quick otherwise).
                else if (operations && Api.ApiCatalog.Find(name) is { } op) into.Add(op.Id);
                else
                    problems.Add($"{iat}: unknown tool \"{name}\"{DidYouMean(name, operations ? ToolOrOperationNames(name) : Inventory.Names)}; run `stripe-mcp tools --tools all` to list them"
                        + (operations ? " (an operation id of the generic path, from stripe_api_search, is taken too)" : ""));
            }
        }

        private static bool ExpectObject(JsonElement e, string at, string[] keys, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object with {string.Join(", ", keys)}");
                return false;
            }
            foreach (var p in e.EnumerateObject().Where(p => !keys.Contains(p.Name)))
                problems.Add($"{at}.{p.Name}: unknown key{DidYouMean(p.Name, keys)}; allowed: {string.Join(", ", keys)}");
            return true;
        }

        private static string FirstSentence(string message)
        {
            foreach (var tail in new[] { " Path:", " LineNumber:" })
            {
                var cut = message.IndexOf(tail, StringComparison.Ordinal);
                if (cut > 0) message = message[..cut];
            }
            return message;
        }
    }
}
