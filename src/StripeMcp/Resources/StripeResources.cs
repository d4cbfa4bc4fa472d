using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Docs;
using StripeMcp.Tools;
using StripeMcp.Pipeline;
using StripeMcp.Policy;

namespace StripeMcp.Resources;

/// <summary>
/// The resources a policy can read, derived from the tools it publishes, so nothing here reads what its tools would
/// not: reading one is a call of the matching tool (same gate, account rules, compaction and audit).
/// <list type="bullet">
/// <item><c>stripe://{collection}/{id}</c> for every published retrieve tool of the form GET /v1/{collection}/{id},
/// e.g. stripe://customers/cus_… is retrieve_customer.</item>
/// <item><c>stripe://events/recent</c>: the newest events, from this server's webhook receiver (list_received_events)
/// when it has one, else from Stripe (list_events). Subscribable (<see cref="EventFeed"/>).</item>
/// <item><c>stripe-mcp://policy</c> (<see cref="PolicyResource"/>) and <c>stripe-mcp://guides/{topic}</c> (<see cref="Guides"/>): ours, for every caller.</item>
/// </list>
/// </summary>
internal sealed partial class StripeResources
{
    public const int RecentCount = 20;

    private readonly Dictionary<string, TypedTool> retrieveByCollection;
    private readonly Dictionary<string, TypedTool> listByCollection;
    private readonly EngineTool? recent;
    private readonly ToolServices services;
    private readonly HashSet<string> publishedNames;

    /// <summary>Whose resources these are (the HTTP caller's name; null on stdio).</summary>
    public string? Caller => services.Caller;
    private readonly EngineTool? genericRead;
    private readonly Lazy<Dictionary<string, (Api.ApiOperation Get, Api.ApiOperation? List)>> genericByCollection;

    public StripeResources(IEnumerable<EngineTool> tools, ToolServices services)
    {
        this.services = services;
        var published = tools.ToList();
        publishedNames = published.Select(t => t.Listing.Name).ToHashSet();
        retrieveByCollection = published.OfType<TypedTool>()
            .Select(t => (tool: t, m: SingleObject().Match(t.Definition.Path)))
            .Where(x => x.tool.Definition.Name.StartsWith("retrieve_", StringComparison.Ordinal) && x.tool.Definition.Method == HttpMethod.Get && x.m.Success)
            .ToDictionary(x => x.m.Groups[1].Value, x => x.tool);
        listByCollection = published.OfType<TypedTool>()
            .Where(t => t.Definition.Name.StartsWith("list_", StringComparison.Ordinal) && t.Definition.Method == HttpMethod.Get && t.Definition.Path.StartsWith("/v1/", StringComparison.Ordinal))
            .GroupBy(t => t.Definition.Path[4..]).ToDictionary(g => g.Key, g => g.First());
        // Objects with no published typed retrieve tool (none has one in compact mode), read through the generic path's
        // stripe_api_read (same gate and audit).
        genericRead = published.FirstOrDefault(t => t.Listing.Name == GenericRead);
        // Read from the generic catalog when first asked (a template list, a read, a completion), not at start-up.
        genericByCollection = new(() =>
        {
            var enabledGets = genericRead is null ? [] : Api.ApiCatalog.All.Where(op => op.Method == HttpMethod.Get && ToolPolicy.IsEnabled(op, services.Options)
                && !Api.ApiCatalog.TypedAllFor(op.Method, op.Path).Any(t => publishedNames.Contains(t.Name))).ToList();
            return enabledGets.Select(op => (op, m: SingleObject().Match(op.Path)))
                .Where(x => x.m.Success && !retrieveByCollection.ContainsKey(x.m.Groups[1].Value))
                .GroupBy(x => x.m.Groups[1].Value)
                .ToDictionary(g => g.Key, g => (g.First().op, enabledGets.FirstOrDefault(op => op.Path == "/v1/" + g.Key)));
        });
        recent = published.FirstOrDefault(t => t.Listing.Name == ReceivedEventsTool.Name)
            ?? published.FirstOrDefault(t => t.Listing.Name == ListEvents);
        // In compact mode list_events is not published: its operation is read through stripe_api_read.
        if (recent is null && genericRead is not null && services.Options.Compact)
            recentOperation = ToolPolicy.Enabled(services.Options).FirstOrDefault(t => t.Name == ListEvents)?.Operation;
    }

    private const string ListEvents = "list_events";

    /// <summary>The Stripe operation (its key) the recent events are read with through stripe_api_read, when no tool of its own is published.</summary>
    private readonly string? recentOperation;

    public bool HasRecent => recent is not null || recentOperation is not null;

    private const string GenericRead = "stripe_api_read";

    /// <summary>
    /// A call of a published tool on behalf of a resource read or a completion: the tool's own gate, audit and errors,
    /// and its confirmation asked of the same client where the operator turned one on for a read.
    /// </summary>
    private static Task<ToolAnswer> CallAsync<T>(RequestContext<T> request, EngineTool tool, Dictionary<string, JsonElement> args, CancellationToken ct) =>
        tool.CallAsync(args, new CallContext(new Mcp.Confirmation(request.Server, call: null, seal: null)), ct);

    /// <summary>A call of the generic path's read tool: one operation with its arguments.</summary>
    private Task<ToolAnswer> GenericAsync<T>(RequestContext<T> request, string operation, JsonObject arguments, CancellationToken ct) =>
        CallAsync(request, genericRead!, new()
        {
            ["operation"] = JsonSerializer.SerializeToElement(operation),
            ["arguments"] = JsonSerializer.SerializeToElement(arguments),
        }, ct);

    /// <summary>The collection (customers, invoices, …) whose retrieve tool takes ids with this prefix (cus_, in_, …), if it is published.</summary>
    public string? CollectionOf(string idPrefix) => retrieveByCollection
        .FirstOrDefault(p => p.Value.Definition.Params.OfType<IdParam>().Any(x => x.Required && x.Prefix == idPrefix)).Key;

    /// <summary>
    /// Ids of the newest objects of a collection that begin with <paramref name="typed"/>, for completion: one call of
    /// the collection's list tool (limit 100; gate and audit as any call). Nothing when the caller has no list tool for it,
    /// or when the typed text cannot begin an id.
    /// </summary>
    public async Task<IReadOnlyList<string>> IdsAsync(RequestContext<CompleteRequestParams> request, string collection, string typed, CancellationToken ct)
    {
        if (typed.Length > IdParam.MaxLength || typed.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_'))) return [];
        ToolAnswer result;
        if (listByCollection.TryGetValue(collection, out var list))
            result = await CallAsync(request, list, new() { ["limit"] = JsonSerializer.SerializeToElement(100) }, ct);
        else if (genericByCollection.Value.TryGetValue(collection, out var generic) && generic.List is { } listOp)
            result = await GenericAsync(request, listOp.Id, new JsonObject { ["limit"] = 100 }, ct);
        else return [];
        if (result.IsError || result.Structured is not { } json || !json.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array) return [];
        return [.. data.EnumerateArray()
            .Select(o => o.ValueKind == JsonValueKind.Object && o.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null)
            .OfType<string>().Where(id => id.StartsWith(typed, StringComparison.Ordinal))];
    }

    /// <summary>The collection a resource template URI names (stripe://customers/{id} → customers).</summary>
    public static string? CollectionOfTemplate(string uriTemplate) =>
        uriTemplate.Length > "stripe://".Length + "/{id}".Length && uriTemplate.StartsWith("stripe://", StringComparison.Ordinal) && uriTemplate.EndsWith("/{id}", StringComparison.Ordinal) ? uriTemplate[9..^5] : null;

    public IList<Resource> List() =>
    [
        .. Recent(),
        new Resource
        {
            Uri = PolicyResource.Uri,
            Name = "policy",
            Title = "What this server lets you do",
            Description = "Your tools, the generic API path, limits and how much of each rolling total is left, Connect accounts, read-only, and which tools ask a human first. Read it before planning a task that moves money.",
            MimeType = "application/json",
        },
        .. Guides.All.Select(g => new Resource { Uri = g.Uri, Name = "guide-" + g.Topic, Title = g.Title, Description = $"Guide: {g.Title}.", MimeType = "text/markdown" }),
    ];

    private IEnumerable<Resource> Recent() => !HasRecent ? [] :
    [
        new Resource
        {
            Uri = EventFeed.RecentUri,
            Name = "events-recent",
            Title = "Recent events",
            Description = $"The {RecentCount} newest events, newest first" + (recent?.Listing.Name == ReceivedEventsTool.Name
                ? ", as Stripe delivered them to this server's webhook receiver." : ", from Stripe's event list.") + " Subscribe to hear when new ones arrive.",
            MimeType = "application/json",
        },
    ];

    public IList<ResourceTemplate> Templates() => [.. ObjectTemplates(), new ResourceTemplate
    {
        UriTemplate = Guides.UriPrefix + "{topic}",
        Name = "guide",
        Title = "Guide",
        Description = "A short guide: " + string.Join(", ", Guides.All.Select(g => g.Topic)) + ".",
        MimeType = "text/markdown",
    }];

    private IEnumerable<ResourceTemplate> ObjectTemplates() => TypedTemplates().Concat(genericByCollection.Value.Select(p => new ResourceTemplate
    {
        UriTemplate = $"stripe://{p.Key}/{{id}}",
        Name = p.Key.Replace('/', '_'),
        Title = p.Key.Replace('/', ' ').Replace('_', ' '),
        Description = $"One object by id, as {GenericRead} with operation {p.Value.Get.Id} returns it.",
        MimeType = "application/json",
    })).OrderBy(t => t.UriTemplate, StringComparer.Ordinal);

    private IEnumerable<ResourceTemplate> TypedTemplates() => retrieveByCollection.Select(p =>
    {
        var tool = p.Value.Definition;
        var id = (IdParam)tool.Params.First(x => x is IdParam { Required: true });
        return new ResourceTemplate
        {
            UriTemplate = $"stripe://{p.Key}/{{id}}",
            Name = tool.Name[9..],
            Title = tool.Title[9..],
            Description = $"One {tool.Name[9..].Replace('_', ' ')} by id ({id.Prefix}…), as {tool.Name} returns it.",
            MimeType = "application/json",
        };
    });

    /// <summary>The resource at <paramref name="uri"/>, read by calling its tool; a refusal or Stripe's error becomes a protocol error carrying the tool's error JSON.</summary>
    public async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken ct)
    {
        var uri = request.Params?.Uri ?? "";
        if (uri == PolicyResource.Uri)
            return Contents(uri, "application/json", (await PolicyResource.RenderAsync(services, publishedNames, ct)).ToJsonString(PlainJson.Options));
        if (uri.StartsWith(Guides.UriPrefix, StringComparison.Ordinal))
            return Guides.Find(uri[Guides.UriPrefix.Length..]) is { } guide ? Contents(uri, "text/markdown", guide.Text) : throw Unknown(request.Server, uri);
        EngineTool tool;
        Dictionary<string, JsonElement> args;
        if (uri == EventFeed.RecentUri && recent is not null)
            (tool, args) = (recent, new() { ["limit"] = JsonSerializer.SerializeToElement(RecentCount) });
        else if (uri == EventFeed.RecentUri && recentOperation is not null && Api.ApiCatalog.ByKey(recentOperation) is { } events)
            return Answer(request.Server, uri, await GenericAsync(request, events.Id, new JsonObject { ["limit"] = RecentCount }, ct));
        else if (ObjectUri().Match(uri) is { Success: true } m && retrieveByCollection.TryGetValue(m.Groups[1].Value, out var retrieve))
        {
            var id = retrieve.Definition.Params.First(x => x is IdParam { Required: true });
            (tool, args) = (retrieve, new() { [id.Name] = JsonSerializer.SerializeToElement(m.Groups[2].Value) });
        }
        else if (ObjectUri().Match(uri) is { Success: true } g && genericByCollection.Value.TryGetValue(g.Groups[1].Value, out var generic))
            return Answer(request.Server, uri, await GenericAsync(request, generic.Get.Id,
                new JsonObject { [generic.Get.Path[(generic.Get.Path.LastIndexOf('{') + 1)..^1]] = g.Groups[2].Value }, ct));
        else throw Unknown(request.Server, uri);

        return Answer(request.Server, uri, await CallAsync(request, tool, args, ct));
    }

    private static ReadResourceResult Answer(McpServer server, string uri, ToolAnswer result)
    {
        var text = result.Text;
        if (result.IsError) throw Failed(server, uri, text);
        return Contents(uri, "application/json", text);
    }

    private static ReadResourceResult Contents(string uri, string type, string text) =>
        new() { Contents = [new TextResourceContents { Uri = uri, MimeType = type, Text = text }] };

    public static McpProtocolException Unknown(McpServer server, string uri) => Naming(uri, new(
        $"Unknown resource URI: '{uri}'. This server's resources are in resources/list and resources/templates/list (an object's is stripe://<collection>/<id>, for the objects this server may read).",
        NotFound(server)));

    /// <summary>The error's data names the URI asked for (error.data.uri), as MCP asks of a missing resource.</summary>
    private static McpProtocolException Naming(string uri, McpProtocolException e)
    {
        e.Data["uri"] = uri;
        return e;
    }

    /// <summary>A missing resource is invalid params from MCP 2026-07-28 on, resource-not-found before.</summary>
    private static McpErrorCode NotFound(McpServer server) =>
        string.CompareOrdinal(server.NegotiatedProtocolVersion ?? "", "2026-07-28") >= 0 ? McpErrorCode.InvalidParams : McpErrorCode.ResourceNotFound;

    /// <summary>The tool's error, whole: Stripe's 404 is "not found", a refused argument "invalid params", anything else an internal error.</summary>
    private static McpProtocolException Failed(McpServer server, string uri, string errorJson)
    {
        JsonObject? error = null;
        try { error = (JsonNode.Parse(errorJson) as JsonObject)?["error"] as JsonObject; } catch (JsonException) { }
        var status = error?["http_status"] is JsonValue s && s.TryGetValue(out int n) ? n : (int?)null;
        var type = error?["type"] is JsonValue t && t.TryGetValue(out string? name) ? name : null;
        var code = (status, type) switch
        {
            (404, _) => NotFound(server),
            (_, "invalid_arguments" or "invalid_request_error") => McpErrorCode.InvalidParams,
            _ => McpErrorCode.InternalError,
        };
        return Naming(uri, new McpProtocolException($"Reading {uri} failed: {errorJson}", code));
    }

    [GeneratedRegex(@"^/v1/([a-z_]+(?:/[a-z_]+)?)/\{[a-z_]+\}$")]
    private static partial Regex SingleObject();

    [GeneratedRegex(@"^stripe://([a-z_]+(?:/[a-z_]+)?)/([^/?#]+)$")]
    private static partial Regex ObjectUri();
}
