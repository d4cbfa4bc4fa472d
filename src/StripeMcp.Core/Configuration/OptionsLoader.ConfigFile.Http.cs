using System.Text.Json;

namespace StripeMcp.Configuration;

// The config file's http section: bearer tokens (each with its own policy), OAuth (issuers, resource, scopes and what each grants, introspection), hosts, origins and limits.
internal static partial class OptionsLoader
{
    private static readonly string[] OAuthKeys = ["issuer", "resource", "metadata", "requiredScopes", "scopes", "introspection"];
    private static readonly string[] ScopeGrantKeys = ["actions", "toolsets", "readOnly"];
    private static readonly string[] HttpKeys = ["tokens", "oauth", "allowedHosts", "allowedOrigins", "maxBodyBytes", "rateLimitPerMinute", "requestTimeoutSeconds"];
    private static readonly string[] TokenKeys = ["name", "sha256", "actions", "toolsets", "deny", "readOnly", "account", "rateLimitPerMinute"];

    private sealed partial record ConfigFile
    {
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
    }
}
