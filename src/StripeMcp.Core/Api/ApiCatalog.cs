using System.Reflection;
using System.Text;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Api;

/// <summary>
/// What the gate and a search result need of an operation, without Stripe.net's reflection: the documentation index
/// keeps these, so a search decides what a caller may use without building the catalog. <see cref="ApiOperation.Row"/>
/// is the same for an operation of the catalog.
/// </summary>
internal sealed record OperationRow(string Id, HttpMethod Method, string Path, string Permission, bool Destructive)
{
    public bool ReadOnly => Method == HttpMethod.Get;

    /// <summary>Only with a test key or the sandbox: /v1/test_helpers/….</summary>
    public bool TestHelper => Path.StartsWith("/v1/test_helpers/", StringComparison.Ordinal);
}

/// <summary>
/// One operation of Stripe's API as the Stripe.net we ship speaks it: <see cref="Method"/> and <see cref="Path"/>
/// (holes in braces, e.g. <c>/v1/quotes/{quote}/accept</c>), the permission that gates it, and the options
/// class whose properties are its parameters.
/// </summary>
internal sealed record ApiOperation(
    string Id,
    HttpMethod Method,
    string Path,
    string Permission,
    MethodInfo ServiceMethod,
    Type? OptionsType)
{
    private OperationRow? _row;

    /// <summary>The gate's view of it (<see cref="OperationRow"/>).</summary>
    public OperationRow Row => _row ??= new(Id, Method, Path, Permission, Destructive);

    public string Resource => Permission[..Permission.IndexOf('.')];
    public string Action => Permission[(Permission.IndexOf('.') + 1)..];
    public bool ReadOnly => Row.ReadOnly;

    public bool TestHelper => Row.TestHelper;

    /// <summary>Deletes, cancels, voids, rejects, closes … something: asks for confirmation by default.</summary>
    public bool Destructive => TypedTool?.Destructive ?? (Method == HttpMethod.Delete || DestructiveVerbs.Any(v => ServiceMethod.Name.StartsWith(v, StringComparison.Ordinal)));

    /// <summary>What it does, from Stripe.net's documentation (null when the package's XML is missing).</summary>
    public string? Summary => XmlDocs.Method(ServiceMethod);

    /// <summary>The summary's first sentence, at most 200 characters: what a search result shows.</summary>
    public string? FirstSentence => Summary is not { } text ? null
        : (text.IndexOf(". ", StringComparison.Ordinal) is var end and > 0 ? text[..(end + 1)] : text) is var first && first.Length > 200 ? first[..200] + "…" : first;

    public IReadOnlyList<ApiParameter> Parameters => ApiParameters.Of(OptionsType);

    /// <summary>The holes of <see cref="Path"/>, in order (<c>quote</c> for <c>/v1/quotes/{quote}/accept</c>).</summary>
    public IReadOnlyList<string> Holes => [.. System.Text.RegularExpressions.Regex.Matches(Path, @"\{(\w+)\}").Select(m => m.Groups[1].Value)];

    /// <summary>The typed tool for the same request, if there is one.</summary>
    public ToolDefinition? TypedTool => ApiCatalog.TypedFor(Method, Path);

    /// <summary>What a method's name starts with when it ends something for good (VoidCreditNote, CancelAction, MarkUncollectible …).</summary>
    internal static readonly string[] DestructiveVerbs = ["Delete", "Cancel", "Void", "Reject", "Close", "Expire", "Detach", "MarkUncollectible", "Deactivate", "Revoke"];
}

/// <summary>
/// Every operation of the Stripe API that Stripe.net 53.1.0 can call, derived at run time from the
/// assembly itself: its services' public methods, the request each makes (read from its IL), and its
/// options class. Nothing of Stripe's is copied into this repository; the catalog always matches the API
/// version the gateway speaks. Operations of the /v2 API, and of the files and connect hosts, are left out
/// (the gateway speaks form-encoded /v1 to api.stripe.com).
/// </summary>
internal static class ApiCatalog
{
    private static readonly Lazy<IReadOnlyList<ApiOperation>> Lazy = new(Build);

    public static IReadOnlyList<ApiOperation> All => Lazy.Value;

    private static readonly Lazy<Dictionary<string, ApiOperation>> ById = new(() => All.ToDictionary(o => o.Id, StringComparer.OrdinalIgnoreCase));

    public static ApiOperation? Find(string id) => ById.Value.GetValueOrDefault(id);

    private static readonly Lazy<Dictionary<string, ApiOperation>> ByOperation = new(() => All.ToDictionary(o => Amounts.MoneyOperations.Key(o.Method, o.Path)));

    /// <summary>The operation a row makes, by <see cref="ToolDefinition.Operation"/> ("GET /v1/invoices/{}").</summary>
    public static ApiOperation? ByKey(string key) => ByOperation.Value.GetValueOrDefault(key);

    private static IReadOnlyList<ApiOperation> Build()
    {
        var services = typeof(global::Stripe.Service).Assembly.GetExportedTypes()
            .Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(global::Stripe.Service)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        var found = new Dictionary<(HttpMethod, string), ApiOperation>();
        foreach (var service in services)
        {
            foreach (var m in service.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).OrderBy(m => m.Name, StringComparer.Ordinal))
            {
                if (m.Name.EndsWith("Async", StringComparison.Ordinal) || m.Name.Contains("AutoPaging", StringComparison.Ordinal)) continue;
                if (IlScan.Of(m) is not { Base: "Api" } request) continue;
                var ids = m.GetParameters().TakeWhile(p => p.ParameterType == typeof(string)).Count();
                if (Template(request.Literals, ids) is not { } path || !path.StartsWith("/v1/", StringComparison.Ordinal)) continue;
                var method = request.Method switch { "GET" => HttpMethod.Get, "POST" => HttpMethod.Post, "DELETE" => HttpMethod.Delete, _ => null };
                if (method is null) continue;
                var options = m.GetParameters().Select(p => p.ParameterType).FirstOrDefault(t => t.IsSubclassOf(typeof(global::Stripe.BaseOptions)));
                // Uploads and downloads (a file's bytes, a quote's PDF) go to Stripe's files host, not as form-encoded JSON: left out.
                if (typeof(Stream).IsAssignableFrom(m.ReturnType) || options?.GetProperties().Any(p => typeof(Stream).IsAssignableFrom(p.PropertyType) || p.PropertyType.Name.StartsWith("Multipart", StringComparison.Ordinal)) == true) continue;
                var op = new ApiOperation(OperationId(method, path), method, path, Permission(service, m, method, path), m, options);
                // The same request offered by two services (QuoteService.ListLineItems, QuoteLineItemService.List): the
                // one whose resource is the path's first segment is kept, so a quote's lines read under quotes.read.
                if (found.TryGetValue((method, path), out var other) && !Prefer(op, other)) continue;
                found[(method, path)] = op;
            }
        }
        return [.. found.Values.OrderBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => o.Method.Method, StringComparer.Ordinal)];
    }

    private static bool Prefer(ApiOperation candidate, ApiOperation current) =>
        candidate.TypedTool is not null && current.TypedTool is null
        || Camel(FirstSegment(candidate.Path)) == candidate.Resource && Camel(FirstSegment(current.Path)) != current.Resource;

    private static string FirstSegment(string path) => path["/v1/".Length..].Split('/')[0];

    /// <summary>The path with named holes: literals "/v1/quotes/", "/accept" and one id → /v1/quotes/{quote}/accept.</summary>
    internal static string? Template(IReadOnlyList<string> literals, int ids)
    {
        // Holes fall between literals, and after the last one when the path ends in an id.
        var holes = literals.Count - 1 + (literals[^1].EndsWith('/') ? 1 : 0);
        if (holes != ids || literals.Skip(1).Any(l => !l.StartsWith('/'))) return null;
        var path = new StringBuilder(literals[0]);
        for (var i = 1; i <= holes; i++)
        {
            var before = path.ToString().TrimEnd('/');
            path.Append('{').Append(Singular(before[(before.LastIndexOf('/') + 1)..])).Append('}');
            if (i < literals.Count) path.Append(literals[i]);
        }
        var text = path.ToString();
        return text.Contains("{}", StringComparison.Ordinal) ? null : text;
    }

    private static string Singular(string segment) =>
        segment.EndsWith("ies", StringComparison.Ordinal) ? segment[..^3] + "y"
        : segment.EndsWith("sses", StringComparison.Ordinal) || segment.EndsWith("xes", StringComparison.Ordinal) ? segment[..^2]
        : segment.EndsWith('s') && !segment.EndsWith("ss", StringComparison.Ordinal) ? segment[..^1]
        : segment;

    /// <summary>Stripe's style of operation id: the method, then each segment and hole in Pascal case (PostQuotesQuoteAccept).</summary>
    internal static string OperationId(HttpMethod method, string path)
    {
        var id = new StringBuilder(method == HttpMethod.Get ? "Get" : method == HttpMethod.Post ? "Post" : "Delete");
        foreach (var segment in path["/v1/".Length..].Split('/'))
            foreach (var word in segment.Trim('{', '}').Split('_', StringSplitOptions.RemoveEmptyEntries))
                id.Append(char.ToUpperInvariant(word[0])).Append(word[1..]);
        return id.ToString();
    }

    /// <summary>
    /// resource.action: the typed tool's permission for the same request; else the service's resource
    /// (its namespace and name, Checkout.SessionService → checkoutSessions) and the action the request is
    /// (GET read, DELETE delete, a Create method create, any other POST update).
    /// </summary>
    private static string Permission(Type service, MethodInfo m, HttpMethod method, string path)
    {
        if (TypedFor(method, path) is { } typed) return typed.Permission;
        var action = method == HttpMethod.Get ? "read" : method == HttpMethod.Delete ? "delete" : m.Name.StartsWith("Create", StringComparison.Ordinal) ? "create" : "update";
        return $"{ResourceOf(service)}.{action}";
    }

    internal static string ResourceOf(Type service)
    {
        var name = service.Name[..^"Service".Length];
        var ns = service.Namespace is { Length: > 6 } n && n.StartsWith("Stripe.", StringComparison.Ordinal) ? n["Stripe.".Length..].Replace(".", "") : "";
        // A test helper acts on the resource it helps with: a test clock is testClocks, issuing's helpers are issuing's.
        if (ns.StartsWith("TestHelpers", StringComparison.Ordinal)) ns = ns["TestHelpers".Length..];
        var plural = name.EndsWith('y') && !name.EndsWith("ey", StringComparison.Ordinal) ? name[..^1] + "ies"
            : name.EndsWith('s') || name.EndsWith("Balance", StringComparison.Ordinal) ? name
            : name + "s";
        var typed = TypedResources.Value.GetValueOrDefault(service);
        return typed ?? Camel(ns + plural);
    }

    /// <summary>A service some of whose requests have a typed tool takes that tool's resource for the rest as well.</summary>
    private static readonly Lazy<Dictionary<Type, string>> TypedResources = new(() =>
    {
        var map = new Dictionary<Type, string>();
        foreach (var service in typeof(global::Stripe.Service).Assembly.GetExportedTypes().Where(t => !t.IsAbstract && t.IsSubclassOf(typeof(global::Stripe.Service))))
        {
            var resources = service.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.Name.EndsWith("Async", StringComparison.Ordinal))
                .Select(m => IlScan.Of(m) is { Base: "Api" } r && Template(r.Literals, m.GetParameters().TakeWhile(p => p.ParameterType == typeof(string)).Count()) is { } path
                    ? TypedFor(new HttpMethod(r.Method), path)?.Resource : null)
                .OfType<string>().Distinct().ToList();
            if (resources.Count == 1) map[service] = resources[0];
        }
        return map;
    });

    internal static string Camel(string text)
    {
        var words = text.Split('_', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0) return text;
        var first = words[0];
        var head = char.ToLowerInvariant(first[0]) + first[1..];
        return head + string.Concat(words.Skip(1).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
    }

    private static readonly Lazy<Dictionary<(string, string), ToolDefinition>> Typed = new(() =>
        ToolCatalog.All.GroupBy(t => (t.Method.Method, Shape(t.Path))).ToDictionary(g => g.Key, g => g.First()));

    /// <summary>The typed tool that makes this request, if any (paths compared by shape: hole names do not matter).</summary>
    internal static ToolDefinition? TypedFor(HttpMethod method, string path) => Typed.Value.GetValueOrDefault((method.Method, Shape(path)));

    /// <summary>Every typed tool that makes this request (update_subscription and pause_subscription make one).</summary>
    internal static IEnumerable<ToolDefinition> TypedAllFor(HttpMethod method, string path) => TypedAll.Value[(method.Method, Shape(path))];

    private static readonly Lazy<ILookup<(string, string), ToolDefinition>> TypedAll = new(() => ToolCatalog.All.ToLookup(t => (t.Method.Method, Shape(t.Path))));

    private static string Shape(string path) => System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", "{}");
}
