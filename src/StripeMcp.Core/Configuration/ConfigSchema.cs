using System.Text.Json.Nodes;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

/// <summary>
/// The JSON Schema of mcp-config.json, built from the dispatch table so tool, resource and toolset
/// names never drift (`stripe-mcp config schema` prints it; mcp-config.schema.json is its output, kept
/// equal by a test). Editors complete the config from it; the loader still does the full checking.
/// </summary>
internal static class ConfigSchema
{
    public static JsonObject Build()
    {
        var definitions = new JsonObject
        {
            ["toolName"] = Enum(ToolCatalog.All.Select(t => t.Name).Concat(Inventory.Surface.Select(s => s.Name))),
            ["toolsetName"] = Enum(ToolCatalog.ToolsetNames),
            // deny and confirm also take the generic path's operation ids (stripe_api_search lists them).
            ["toolOrOperation"] = new JsonObject
            {
                ["anyOf"] = new JsonArray(Ref("toolName"), new JsonObject
                {
                    ["type"] = "string", ["pattern"] = "^(Get|Post|Delete)[A-Z][A-Za-z0-9]*$",
                    ["description"] = "An operation id of the generic path, e.g. PostQuotesQuoteAccept.",
                }),
            },
        };
        var tools = Ref("toolName");
        var toolsOrOperations = Ref("toolOrOperation");
        var toolsets = Ref("toolsetName");
        var resources = Api.ApiPermissions.Actions.Keys.Order(StringComparer.Ordinal).ToList(); // one order in every process, whatever its globalization

        JsonObject ActionsSchema() => Obj("Resource → action → true/false. Resources in camelCase or snake_case.",
            resources.SelectMany(r => new[] { (Name: r, Resource: r), (Name: Snake(r), Resource: r) }).DistinctBy(x => x.Name)
                .ToDictionary(x => x.Name, x => (JsonNode)Obj($"Actions of {x.Resource}.",
                    Api.ApiPermissions.Actions[x.Resource].ToDictionary(a => a, a => (JsonNode)Bool($"Enable the {x.Resource}.{a} tools.")))));

        definitions["actions"] = ActionsSchema();
        JsonObject Actions() => Ref("actions");
        definitions["currencyAmounts"] = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Currency (lowercase ISO code) → amount in the currency's smallest unit (10000 = $100.00).",
            ["patternProperties"] = new JsonObject { ["^[a-z]{3}$"] = new JsonObject { ["type"] = "integer", ["minimum"] = 0 } },
            ["additionalProperties"] = false,
        };
        var currencyAmounts = Ref("currencyAmounts");
        definitions["currencies"] = new JsonObject
        {
            ["type"] = "array",
            ["description"] = "Allowed currencies (lowercase ISO codes).",
            ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[a-z]{3}$" },
        };
        var currencies = Ref("currencies");
        definitions["account"] = new JsonObject { ["type"] = "string", ["pattern"] = "^acct_[A-Za-z0-9]+$", ["description"] = "A connected account id (acct_…)." };
        var account = Ref("account");

        var limits = new JsonObject
        {
            ["type"] = "object",
            ["description"] = "Amount limits, checked before anything is sent. Keys: \"currencies\", or a resource or tool that moves money.",
            ["properties"] = new JsonObject { ["currencies"] = currencies.DeepClone() },
            ["additionalProperties"] = false,
        };
        foreach (var key in ToolCatalog.LimitKeys)
            limits["properties"]![key] = Obj($"Limits for {key}.", new()
            {
                ["maxAmount"] = currencyAmounts.DeepClone(),
                ["maxTotal"] = currencyAmounts.DeepClone(),
                ["window"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[1-9][0-9]*[smhd]$", ["description"] = "Rolling window of maxTotal, e.g. \"24h\" (totals are kept in the state store, across restarts)." },
                ["currencies"] = currencies.DeepClone(),
            });

        var token = Obj("A bearer token of the HTTP transport, by its SHA-256; its policy only narrows the server's.", new()
        {
            ["name"] = new JsonObject { ["type"] = "string", ["minLength"] = 1, ["description"] = "Names the token in logs, audit and rate limits." },
            ["sha256"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[0-9a-fA-F]{64}$", ["description"] = "SHA-256 of the token in hex (stripe-mcp hash-token prints it)." },
            ["actions"] = Actions(),
            ["toolsets"] = new JsonObject { ["type"] = "array", ["items"] = toolsets.DeepClone() },
            ["deny"] = new JsonObject { ["type"] = "array", ["items"] = toolsOrOperations.DeepClone() },
            ["readOnly"] = Bool("Only read-only tools for this token."),
            ["account"] = account.DeepClone(),
            ["rateLimitPerMinute"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
        }, required: ["name", "sha256"]);

        var schema = Obj("Configuration of stripe-mcp: which Stripe tools an agent may use, and the limits around them.", new()
        {
            ["$schema"] = new JsonObject { ["type"] = "string" },
            ["actions"] = Actions(),
            ["toolsets"] = new JsonObject { ["type"] = "array", ["description"] = "Toolsets whose tools are all enabled.", ["items"] = toolsets.DeepClone() },
            ["context"] = Obj("Connect context.", new()
            {
                ["account"] = account.DeepClone(),
                ["accounts"] = new JsonObject
                {
                    ["description"] = "Connected accounts a call may name in its `account` argument, or \"*\" for any.",
                    ["oneOf"] = new JsonArray(new JsonObject { ["const"] = "*" }, new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["anyOf"] = new JsonArray(account.DeepClone(), new JsonObject { ["const"] = "*" }) } }),
                },
            }),
            ["tools"] = Obj("Tool names switched on in addition to the actions, or never.", new()
            {
                ["allow"] = new JsonObject { ["type"] = "array", ["items"] = tools.DeepClone() },
                ["deny"] = new JsonObject { ["type"] = "array", ["items"] = toolsOrOperations.DeepClone() },
            }),
            ["readOnly"] = Bool("Only read-only tools."),
            ["compact"] = Bool("Publish the generic tools (stripe_api_search, _details, _read, _write) instead of the typed ones: a small tool list, every enabled operation reached through them under the same checks. Same as --compact."),
            ["allowLive"] = Bool("Accept a live key (sk_live_/rk_live_)."),
            ["limits"] = limits,
            ["confirm"] = new JsonObject
            {
                ["description"] = "Tool or operation id → \"on\" (ask the human first) or \"off\" (never ask); destructive tools ask by default.",
                ["oneOf"] = new JsonArray(
                    new JsonObject { ["type"] = "array", ["items"] = toolsOrOperations.DeepClone() },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["propertyNames"] = toolsOrOperations.DeepClone(),
                        ["additionalProperties"] = new JsonObject { ["enum"] = new JsonArray("on", "off", true, false) },
                    }),
            },
            ["audit"] = Obj("The audit trail.", new()
            {
                ["path"] = new JsonObject { ["type"] = "string", ["description"] = "Also append the audit trail here as JSON lines (this exact file; rotate it with logrotate's copytruncate)." },
                ["includePersonalData"] = Bool("Keep emails and card-like numbers unmasked in the audit trail."),
            }),
            ["state"] = Obj("Where the server keeps state that must outlive a process: the rolling totals behind limits' maxTotal, idempotency keys' first uses, the audit chain. One of path or postgres.", new()
            {
                ["path"] = new JsonObject { ["type"] = "string", ["description"] = "The SQLite file (default: stripe-mcp/state.db in the user's state directory). Same as --state." },
                ["postgres"] = new JsonObject { ["type"] = "string", ["description"] = $"A PostgreSQL connection string (Host=…;Database=…;Username=…, or postgres://…), for several instances sharing one state. {EnvVars.Postgres} overrides it; prefer it, or a passfile, for the password." },
            }),
            ["webhooks"] = Obj("Stripe's deliveries to this server's receiver (POST /webhooks/stripe, HTTP mode).", new()
            {
                ["secrets"] = new JsonObject
                {
                    ["type"] = "array",
                    ["description"] = $"The endpoints' signing secrets (whsec_…) deliveries are verified with; {EnvVars.WebhookSecret} adds to them. Prefer the variable: a committed file should hold no secret.",
                    ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = "^whsec_[A-Za-z0-9]{16,}$" },
                },
            }),
            ["http"] = Obj("The Streamable HTTP transport (serve --http).", new()
            {
                ["tokens"] = new JsonObject { ["type"] = "array", ["items"] = token },
                ["oauth"] = Obj("OAuth 2.1 access tokens (MCP authorization), beside the static tokens: JWTs (or, with introspection, opaque tokens) from this issuer for this resource; their scopes' grants, added up, narrow the policy.", new()
                {
                    ["issuer"] = new JsonObject
                    {
                        ["description"] = "The authorization server's issuer URL (https; http only on a loopback name), or a list of them (tokens from any are accepted; introspection and metadata are the first's).",
                        ["oneOf"] = new JsonArray(
                            new JsonObject { ["type"] = "string", ["format"] = "uri" },
                            new JsonObject { ["type"] = "array", ["minItems"] = 1, ["uniqueItems"] = true, ["items"] = new JsonObject { ["type"] = "string", ["format"] = "uri" } }),
                    },
                    ["resource"] = new JsonObject { ["type"] = "string", ["format"] = "uri", ["description"] = "This server's canonical resource URI (e.g. https://mcp.example.com/mcp): the audience tokens must carry." },
                    ["metadata"] = new JsonObject { ["type"] = "string", ["format"] = "uri", ["description"] = "Where the issuer's metadata is (default: <issuer>/.well-known/openid-configuration)." },
                    ["requiredScopes"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["pattern"] = "^[!#-\\[\\]-~]+$" }, ["description"] = "Scopes every token must hold (403 insufficient_scope naming them otherwise)." },
                    ["scopes"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["description"] = "Your scope → grant table; with it, only these scopes mean anything (default: stripe:read, stripe:all, stripe:toolset:<name>, stripe:<resource>.<action>). A token holds the union of its scopes' grants.",
                        ["minProperties"] = 1,
                        ["additionalProperties"] = Obj("What one scope grants.", new()
                        {
                            ["actions"] = Actions(),
                            ["toolsets"] = new JsonObject { ["type"] = "array", ["items"] = toolsets.DeepClone() },
                            ["readOnly"] = Bool("Only the reads of this grant's actions and toolsets (alone: every read)."),
                        }),
                    },
                    ["introspection"] = Obj($"Opaque tokens are checked at the issuer's introspection endpoint (RFC 7662) as this client; its secret is read from {EnvVars.OAuthClientSecret}.", new()
                    {
                        ["clientId"] = new JsonObject { ["type"] = "string", ["minLength"] = 1 },
                    }, required: ["clientId"]),
                }, required: ["issuer", "resource"]),
                ["allowedHosts"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string" }, ["description"] = "Host names accepted (default: loopback)." },
                ["allowedOrigins"] = new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "string", ["format"] = "uri" }, ["description"] = "Origins accepted (default: loopback)." },
                ["maxBodyBytes"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                ["rateLimitPerMinute"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
                ["requestTimeoutSeconds"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1 },
            }),
        });
        schema.Remove("description");
        return new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema#",
            ["$id"] = "https://stripe-mcp.dev/mcp-config.schema.json",
            ["title"] = "stripe-mcp configuration (mcp-config.json)",
            ["description"] = "Which Stripe tools an agent may use through stripe-mcp, and the limits around them.",
            ["type"] = "object",
            ["properties"] = schema["properties"]!.DeepClone(),
            ["additionalProperties"] = false,
            ["definitions"] = definitions,
        };
    }

    private static JsonObject Enum(IEnumerable<string> values) =>
        new() { ["type"] = "string", ["enum"] = new JsonArray(values.Select(v => (JsonNode)v).ToArray()) };

    private static JsonObject Ref(string name) => new() { ["$ref"] = $"#/definitions/{name}" };

    private static JsonObject Bool(string description) => new() { ["type"] = "boolean", ["description"] = description };

    private static JsonObject Obj(string description, Dictionary<string, JsonNode> properties, string[]? required = null)
    {
        var o = new JsonObject
        {
            ["type"] = "object",
            ["description"] = description,
            ["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
            ["additionalProperties"] = false,
        };
        if (required is not null) o["required"] = new JsonArray(required.Select(r => (JsonNode)r).ToArray());
        return o;
    }

    private static string Snake(string camel) => string.Concat(camel.Select(c => char.IsUpper(c) ? "_" + char.ToLowerInvariant(c) : c.ToString()));
}
