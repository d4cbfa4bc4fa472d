using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Api;
using StripeMcp.Policy;
using StripeMcp.Stripe;
using StripeMcp.Tools;
using StripeMcp.Docs;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Pipeline;

/// <summary>
/// search_stripe_documentation (Stripe's own tool name; permission documentation.read): ranked answers from the offline
/// <see cref="DocIndex"/>, each saying what to call for it, the permission that needs, and whether this caller has it.
/// Reads nothing from the account and sends nothing anywhere.
/// </summary>
internal sealed class DocsSearchTool(ToolServices services) : EngineTool
{
    public const string Name = Inventory.DocsSearch;
    public const string Permission = Inventory.DocsPermission;
    private static readonly string[] Arguments = ["question", "language", "limit"];
    private static readonly string[] Languages = ["curl", "dotnet", "node", "python", "ruby", "php", "java", "go"];

    public static IEnumerable<EngineTool> For(ToolServices services)
    {
        if (ToolPolicy.IsEnabled(Inventory.Row(Name), services.Options)) yield return new DocsSearchTool(services);
    }

    public override ToolListing Listing { get; } = new(Name, Inventory.Row(Name).Title,
        "Search our guides, the Stripe API reference of the version this server speaks (every operation, parameter and object) and this server's tools: ranked results, each with what to call and the permission it needs. Offline; reads nothing from the account.",
        JsonDocument.Parse($$$"""
            {"type":"object","properties":{
              "question":{"type":"string","description":"What you want to know or do, in words, e.g. how do I refund part of a payment."},
              "language":{"type":"string","enum":[{{{string.Join(",", Languages.Select(l => $"\"{l}\""))}}}],"description":"Add a request example: curl or dotnet (Stripe.net); others get curl (the request is the same in every SDK)."},
              "limit":{"type":"integer","minimum":1,"maximum":20,"description":"At most this many results (default 5)."}},
             "required":["question"],"additionalProperties":false}
            """).RootElement.Clone(),
        new ToolHints(ReadOnly: Inventory.Row(Name).ReadOnly, Idempotent: Inventory.Row(Name).Idempotent, OpenWorld: Inventory.Row(Name).OpenWorld));

    public override Task<ToolAnswer> CallAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken ct)
    {
        var audit = new AuditEvent(Name, Permission, args) { Caller = services.Caller };
        var problems = args.Keys.Where(k => !Arguments.Contains(k)).Select(k => $"{k}: unknown argument; allowed: {string.Join(", ", Arguments)}").ToList();
        var question = args.TryGetValue("question", out var q) && q.ValueKind == JsonValueKind.String ? Param.Text(q) : null;
        if (question is null || question.Trim().Length == 0 || question.Length > 500) problems.Add("question: required, a non-empty string of at most 500 characters");
        var language = args.TryGetValue("language", out var l) ? l.ValueKind == JsonValueKind.String ? l.GetString() : "" : null;
        if (language is not null && !Languages.Contains(language)) problems.Add($"language: must be one of {string.Join(", ", Languages)}");
        var limit = 5;
        if (args.TryGetValue("limit", out var n) && !(n.ValueKind == JsonValueKind.Number && n.TryGetInt32(out limit) && limit is >= 1 and <= 20))
            problems.Add("limit: must be a whole number from 1 to 20");
        if (problems.Count > 0)
        {
            services.Audit.Record(audit, Outcome.InvalidArguments);
            return Task.FromResult(ToolAnswer.Error(ErrorJson.InvalidArguments(Name, problems)));
        }
        var hits = DocIndex.Instance.Search(question!, limit);
        services.Audit.Record(audit, Outcome.Ok);
        var results = new JsonArray();
        foreach (var (hit, rank) in hits.Select((h, i) => (h, i + 1)))
            results.Add(Describe(hit, rank, language));
        return Task.FromResult(ToolAnswer.Ok(new JsonObject
        {
            ["question"] = question,
            ["results"] = results,
            ["note"] = hits.Count == 0 ? "Nothing matched: ask with other words, or name the object (invoice, payment intent, subscription…)." : null,
        }));
    }

    private JsonObject Describe(DocHit hit, int rank, string? language)
    {
        var e = hit.Entry;
        var o = services.Options;
        var result = new JsonObject { ["rank"] = rank, ["kind"] = e.Kind, ["title"] = e.Title };
        switch (e.Kind)
        {
            case "guide":
                result["uri"] = e.Ref;
                break;
            case "tool":
                var tool = ToolCatalog.Find(e.Ref)!;
                (result["call"], result["enabled"]) = Call(tool);
                (result["permission"], result["request"]) = (tool.Permission, e.Request);
                break;
            case "operation":
                var op = DocIndex.Instance.Operation(e.Ref)!;
                result["operation"] = op.Id;
                result["request"] = e.Request;
                result["permission"] = op.Permission;
                (result["call"], result["enabled"]) = ApiCatalog.TypedFor(op.Method, op.Path) is { } typed ? Call(typed) : Call(op);
                if (language is not null) result["example"] = Example(op, language);
                break;
            case "object":
                result["object"] = e.Ref;
                break;
        }
        result["excerpt"] = hit.Snippet.Trim();
        return result;
    }

    /// <summary>What to call for a typed tool's work, and whether this caller can: the tool, or in compact mode (where no typed tool is published) its operation.</summary>
    private (string Call, bool Enabled) Call(ToolDefinition typed) =>
        services.Options.Compact && DocIndex.Instance.Operation(typed.Operation) is { } op ? Call(op) : (typed.Name, ToolPolicy.IsEnabled(typed, services.Options));

    /// <summary>An operation through the generic path: enabled, and its tool (read or write) published.</summary>
    private (string Call, bool Enabled) Call(OperationRow op)
    {
        var (read, write) = ToolPolicy.GenericPath(services.Options);
        return ($"{(op.ReadOnly ? GenericTool.Read : GenericTool.Write)} with operation {op.Id}", ToolPolicy.IsEnabled(op, services.Options) && (op.ReadOnly ? read : write));
    }

    /// <summary>How to make the request: curl from the index's row; for .NET, Stripe.net's method (the catalog is read for it).</summary>
    private static string Example(OperationRow row, string language) => language == "dotnet" && ApiCatalog.Find(row.Id) is { } op
        ? $"await new {op.ServiceMethod.DeclaringType!.FullName}().{op.ServiceMethod.Name}({string.Join(", ", op.ServiceMethod.GetParameters().Where(p => p.ParameterType != typeof(global::Stripe.RequestOptions) && p.ParameterType != typeof(CancellationToken)).Select(p => p.ParameterType == typeof(string) ? $"\"{p.Name}\"" : $"new {p.ParameterType.Name} {{ … }}"))});"
        : $"curl{(row.Method == HttpMethod.Get ? "" : $" -X {row.Method.Method}")} https://api.stripe.com{row.Path} -u \"$STRIPE_SECRET_KEY:\"{(row.Method == HttpMethod.Post ? " -d …" : "")}";
}
