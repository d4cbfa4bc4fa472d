using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Policy;
using StripeMcp.Stripe;
using StripeMcp.Tools;
using StripeMcp.Api;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Pipeline;

/// <summary>
/// The generic path to the whole API, under the same gate: four tools with the names Stripe's remote
/// server uses. search and details read the catalog (only what this policy enables); read and write run
/// one enabled operation through the typed tools' own pipeline (<see cref="TypedTool"/>), so validation,
/// the account rules, limits, confirmation, dry run, idempotency and audit are the same.
/// </summary>
internal sealed class GenericTool : EngineTool
{
    public const string Search = Inventory.ApiSearch, Details = Inventory.ApiDetails, Read = Inventory.ApiRead, Write = Inventory.ApiWrite;
    private const string OperationArgument = "operation", ArgumentsArgument = "arguments";
    private const int MaxQuery = 500, MaxOperationId = 100;

    private readonly string _name;
    private readonly ToolServices _services;
    private readonly Lazy<IReadOnlyList<ApiOperation>> _enabled;
    private readonly Lazy<HashSet<OperationRow>> _enabledRows;
    private readonly ConcurrentDictionary<string, TypedTool> _tools = new();

    private GenericTool(string name, ToolServices services)
    {
        _name = name;
        _services = services;
        _enabled = new(() => [.. ApiCatalog.All.Where(o => ToolPolicy.IsEnabled(o, services.Options))]);
        _enabledRows = new(() => [.. Docs.DocIndex.Instance.OperationRows.Where(o => ToolPolicy.IsEnabled(o, services.Options))]);
        Listing = Describe(name, services);
    }

    public override ToolListing Listing { get; }

    /// <summary>The generic tools this policy publishes: none when it enables no operation beyond the typed tools.</summary>
    public static IEnumerable<EngineTool> For(ToolServices services)
    {
        foreach (var name in new[] { Search, Details, Read, Write })
            if (ToolPolicy.IsEnabled(Inventory.Row(name), services.Options)) yield return new GenericTool(name, services);
    }

    private static ToolListing Describe(string name, ToolServices services)
    {
        var perCall = services.Options.AccountAllowList is { } allowed ? ToolDefinition.AccountChoice(allowed, services.Options.Account) : null;
        var row = Inventory.Row(name);
        var (description, props, required) = name switch
        {
            // What holds for all four (ids from search, `arguments` by Stripe's names, the checks) is said once, in Instructions.
            Search => (
                "Find the Stripe API operations you may call, by what you want to do (e.g. \"refund a payment\"): each one's id, method, path, summary and permission.",
                new JsonObject
                {
                    ["query"] = Prop("string", "What you want to do, in a few words."),
                    ["limit"] = new JsonObject { ["type"] = "integer", ["minimum"] = 1, ["maximum"] = 50, ["description"] = "Default 10." },
                },
                new[] { "query" }),
            Details => (
                "One operation's parameters (names, types, allowed values, nested shapes), permission and whether it is destructive: what a stripe_api_read or stripe_api_write call takes.",
                new JsonObject { [OperationArgument] = Prop("string", "An operation id from stripe_api_search, e.g. PostRefunds.") },
                new[] { OperationArgument }),
            Read => (
                "Call an enabled GET operation of the Stripe API, e.g. operation GetCustomersCustomer with arguments {\"customer\": \"cus_123\"}. Returns Stripe's object.",
                Call(perCall, idempotency: false), new[] { OperationArgument }),
            _ => (
                "Call an enabled POST or DELETE operation of the Stripe API, e.g. operation PostRefunds with arguments {\"payment_intent\": \"pi_123\", \"amount\": 500}. Checked as a typed tool is (arguments, limits, confirmation, dry run). Returns Stripe's object.",
                Call(perCall, idempotency: true), new[] { OperationArgument }),
        };
        var schema = new JsonObject { ["type"] = "object", ["properties"] = props, ["required"] = new JsonArray([.. required.Select(r => (JsonNode)r)]), ["additionalProperties"] = false };
        // Hints only where they differ from the MCP spec's defaults, as the documentation search states its own (destructiveHint stated for a write).
        var hints = new ToolHints(ReadOnly: row.ReadOnly ? true : null, Destructive: row.ReadOnly ? null : row.Destructive, Idempotent: row.Idempotent ? true : null, OpenWorld: row.OpenWorld ? null : false);
        return new ToolListing(name, row.Title, description, JsonDocument.Parse(schema.ToJsonString()).RootElement.Clone(), hints);
    }

    private static JsonObject Call(string? perCall, bool idempotency)
    {
        var props = new JsonObject
        {
            [OperationArgument] = Prop("string", "An operation id from stripe_api_search."),
            [ArgumentsArgument] = new JsonObject { ["type"] = "object", ["description"] = "Its path parameters and parameters, by Stripe's names." },
        };
        if (idempotency) props[ToolDefinition.IdempotencyArgument] = new JsonObject { ["type"] = "string" }; // as a typed tool's: Instructions say what it does
        if (perCall is not null) props[ToolDefinition.AccountArgument] = Prop("string", perCall);
        return props;
    }

    private static JsonObject Prop(string type, string description) => new() { ["type"] = type, ["description"] = description };

    public override async Task<ToolAnswer> CallAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken cancellationToken)
    {
        if (_name is Read or Write) return await OperationAsync(args, context, cancellationToken);
        var call = new AuditEvent(_name, "api." + (_name == Search ? "search" : "details"), args) { Caller = _services.Caller };
        var (outcome, result) = _name == Search ? SearchResult(args) : DetailsResult(args);
        _services.Audit.Record(call, outcome);
        return result;
    }

    private (string, ToolAnswer) SearchResult(IReadOnlyDictionary<string, JsonElement> args)
    {
        var problems = new List<string>();
        var query = args.TryGetValue("query", out var q) && q.ValueKind == JsonValueKind.String ? Param.Text(q) : null;
        if (string.IsNullOrWhiteSpace(query)) problems.Add("query: is required (what you want to do, in a few words)");
        else if (query.Length > MaxQuery) problems.Add($"query: must be at most {MaxQuery} characters (a few words), got {query.Length}");
        var limit = 10L;
        if (args.TryGetValue("limit", out var l) && (l.ValueKind != JsonValueKind.Number || !l.TryGetInt64(out limit) || limit is < 1 or > 50)) problems.Add("limit: must be a whole number from 1 to 50");
        problems.AddRange(args.Keys.Where(k => k is not ("query" or "limit")).Select(k => $"{k}: unknown argument; allowed: query, limit"));
        if (problems.Count > 0) return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(Search, problems)));
        // From the documentation index alone: a search builds no catalog (the gate's rule is the same, ToolPolicy.IsEnabled).
        var enabled = _enabledRows.Value;
        var found = Docs.DocIndex.Instance.Operations(query!, (int)limit, enabled.Contains);
        return (Outcome.Ok, ToolAnswer.Ok(new JsonObject
        {
            ["operations"] = new JsonArray([.. found.Select(o => (JsonNode)Brief(o))]),
            ["enabled_operations"] = enabled.Count,
            ["note"] = found.Count == 0 ? "No enabled operation matches; try other words (the resource's name, the verb), or ask the operator to allow the permission it needs." : null,
        }));
    }

    /// <summary>One operation as search and details show it; typed_tool only where typed tools are published (not in compact mode).</summary>
    private JsonObject Brief(OperationRow o) => new()
    {
        [OperationArgument] = o.Id,
        ["method"] = o.Method.Method,
        ["path"] = o.Path,
        ["summary"] = Docs.DocIndex.Instance.Summary(o.Id),
        ["permission"] = o.Permission,
        ["typed_tool"] = _services.Options.Compact ? null : ApiCatalog.TypedFor(o.Method, o.Path)?.Name,
        ["destructive"] = o.Destructive ? true : null,
    };

    private (string, ToolAnswer) DetailsResult(IReadOnlyDictionary<string, JsonElement> args)
    {
        if (Resolve(args, Details) is { } refused) return refused;
        var op = Operation(args)!;
        var json = Brief(op.Row);
        json["summary"] = op.Summary;
        json["tool"] = op.ReadOnly ? Read : Write;
        json["path_parameters"] = new JsonArray([.. op.Holes.Select(h => (JsonNode)h)]);
        // Stripe.net does not mark what Stripe requires: the path's ids are, and what the curated typed tool requires.
        var required = op.TypedTool?.Params.Where(p => p.Required).Select(p => p.Name).ToHashSet() ?? [];
        json["parameters"] = new JsonArray([.. op.Parameters.Where(p => !op.Holes.Contains(p.Name)).Select(p =>
        {
            var o = p.ToJson();
            if (required.Contains(p.Name)) o["required"] = true;
            return (JsonNode)o;
        })]);
        if (op.TypedTool is null)
            json["required_note"] = "The package this catalog comes from does not say which parameters Stripe requires (beyond the path's ids): a missing one comes back as Stripe's parameter_missing error, naming it; nothing is charged by a refused call.";
        if (op.Method == HttpMethod.Post) json["idempotency_key"] = "optional, outside `arguments`";
        return (Outcome.Ok, ToolAnswer.Ok(json));
    }

    private ApiOperation? Operation(IReadOnlyDictionary<string, JsonElement> args) =>
        args.TryGetValue(OperationArgument, out var o) && o.ValueKind == JsonValueKind.String && Param.Text(o) is { } id
            ? _enabled.Value.FirstOrDefault(e => string.Equals(e.Id, id, StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>Why the operation named in the arguments cannot be used by this tool, or null.</summary>
    private (string, ToolAnswer)? Resolve(IReadOnlyDictionary<string, JsonElement> args, string tool)
    {
        var id = args.TryGetValue(OperationArgument, out var o) && o.ValueKind == JsonValueKind.String ? Param.Text(o) : null;
        if (args.TryGetValue(OperationArgument, out var given) && given.ValueKind != JsonValueKind.String)
            return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, [$"operation: must be a string (an operation id from stripe_api_search), got {Param.Kind(given)}"])));
        if (string.IsNullOrEmpty(id)) return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, ["operation: is required (an operation id from stripe_api_search)"])));
        if (id.Length > MaxOperationId) return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, [$"operation: must be at most {MaxOperationId} characters (an operation id from stripe_api_search), got {id.Length}"])));
        var allowed = tool == Details ? [OperationArgument] : new[] { OperationArgument, ArgumentsArgument, ToolDefinition.IdempotencyArgument, ToolDefinition.AccountArgument };
        var stray = args.Keys.Where(k => !allowed.Contains(k)).Select(k => $"{k}: unknown argument; the operation's own arguments go in `arguments`").ToList();
        if (stray.Count > 0) return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, stray)));
        var op = Operation(args);
        if (op is null)
        {
            var hint = Suggest.Closest(id, _enabled.Value.Select(e => e.Id));
            return (Outcome.Denied, ToolAnswer.Error(ErrorJson.Refused("operation_not_allowed",
                $"{tool}: \"{LogText.Safe(id, 80)}\" is not an operation this server enables{(hint is null ? "" : $" (did you mean \"{hint}\"?)")}; nothing was sent. stripe_api_search lists the enabled ones.")));
        }
        if (tool == Read && !op.ReadOnly || tool == Write && op.ReadOnly)
            return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, [$"operation: {op.Id} is {op.Method.Method} {op.Path}: call it with {(op.ReadOnly ? Read : Write)}"])));
        if (args.TryGetValue(ArgumentsArgument, out var a) && a.ValueKind != JsonValueKind.Object)
            return (Outcome.InvalidArguments, ToolAnswer.Error(ErrorJson.InvalidArguments(tool, [$"arguments: must be an object of the operation's parameters, got {Param.Kind(a)}"])));
        return null;
    }

    private async Task<ToolAnswer> OperationAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken ct)
    {
        if (Resolve(args, _name) is { } refused)
        {
            _services.Audit.Record(new AuditEvent(_name, "api.call", args) { Caller = _services.Caller }, refused.Item1);
            return refused.Item2;
        }
        var op = Operation(args)!;
        var options = _services.Options;
        var inner = new Dictionary<string, JsonElement>();
        if (args.TryGetValue(ArgumentsArgument, out var a)) foreach (var p in a.EnumerateObject()) inner[p.Name] = p.Value;
        foreach (var k in new[] { ToolDefinition.IdempotencyArgument, ToolDefinition.AccountArgument })
            if (args.TryGetValue(k, out var v)) inner[k] = v;
        var tool = _tools.GetOrAdd(op.Id, _ =>
        {
            var d = ApiDefinitions.For(op);
            if (options.AccountAllowList is { } allowed && !ToolPolicy.PlatformResources.Contains(d.Resource)) d = d.WithPerCallAccount(allowed, options.Account);
            return new TypedTool(d, _services);
        });
        return await tool.CallAsync(inner, context, ct);
    }
}
