using System.Text.Json;

namespace StripeMcp.Configuration;

// mcp-config.json: Read goes through every top-level key and reads the small sections (context, audit, state, webhooks) itself; tool selection, limits and http are read in OptionsLoader.ConfigFile.*.cs.
internal static partial class OptionsLoader
{
    private static readonly string[] TopLevelKeys = ["$schema", "actions", "toolsets", "context", "tools", "readOnly", "compact", "http", "allowLive", "limits", "confirm", "audit", "state", "webhooks"];
    private static readonly string[] AuditKeys = ["path", "includePersonalData"];
    private static readonly string[] StateKeys = ["path", "postgres"];
    private static readonly string[] ContextKeys = ["account", "accounts"];
    private static readonly string[] ToolsKeys = ["allow", "deny"];

    /// <summary>mcp-config.json, read and checked; every problem names its JSON path.</summary>
    private sealed partial record ConfigFile(HashSet<string> Permissions, HashSet<string> Allow, HashSet<string> Deny, string? Account, bool ReadOnly, HashSet<string>? Accounts = null)
    {
        public HttpSettings Http { get; init; } = new();
        public bool AllowLive { get; init; }
        public bool Compact { get; init; }
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
                var compact = false;
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
                        case "compact":
                            compact = Bool(p.Value, at, problems) ?? compact;
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
                    Account = account, ReadOnly = readOnly, Accounts = accounts, Http = http, AllowLive = allowLive, Compact = compact,
                    Limits = limits, Confirm = confirm, AuditPath = auditPath, AuditPersonalData = personal, StatePath = statePath, StatePostgres = statePostgres,
                    WebhookSecrets = webhookSecrets,
                };
            }
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
    }
}
