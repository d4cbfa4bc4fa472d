using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StripeMcp.Tools;

/// <summary>The behaviour hints of a tool (openWorldHint is true for all: they talk to Stripe). <see cref="Pipeline.TypedTool.ListingOf"/> states them.</summary>
[Flags]
internal enum Hints
{
    /// <summary>A write that is not destructive: creates or changes something, not safe to repeat blindly without a key.</summary>
    Write = 0,
    ReadOnly = 1,
    Destructive = 2,
    Idempotent = 4,
}

/// <summary>
/// One row of the dispatch table: everything about a tool. The permission gates it, the schema is
/// what the agent sees and what arguments are checked against, and <see cref="Method"/> +
/// <see cref="Path"/> is the one Stripe call it makes. Path segments in braces (<c>{customer}</c>)
/// are filled from the argument of that name; every other argument goes in the query (GET, DELETE)
/// or the form body (POST).
/// </summary>
internal sealed partial record ToolDefinition(
    string Name,
    string Permission,
    string Title,
    string Description,
    HttpMethod Method,
    string Path,
    Hints Hints,
    IReadOnlyList<Param> Params)
{
    public bool ReadOnly => Hints.HasFlag(Hints.ReadOnly);
    public bool Destructive => Hints.HasFlag(Hints.Destructive);
    public bool Idempotent => Hints.HasFlag(Hints.Idempotent);

    /// <summary>The resource half of the permission, e.g. "paymentLinks".</summary>
    public string Resource => Permission[..Permission.IndexOf('.')];

    /// <summary>The action half of the permission: read, create, update or delete.</summary>
    public string Action => Permission[(Permission.IndexOf('.') + 1)..];

    /// <summary>How much money a call moves, for limits: the rule of the Stripe operation it makes (Amounts.MoneyOperations); null when it moves none.</summary>
    public Amounts.MoneyRule? Money => Amounts.MoneyOperations.RuleFor(Method, Path);

    /// <summary>The Stripe operation this row makes, as the money check and limits key it ("POST /v1/subscriptions/{}").</summary>
    public string Operation => Amounts.MoneyOperations.Key(Method, Path);

    /// <summary>
    /// Other names this row answers to in tools/call and in the config (Stripe's toolkit's name where ours
    /// differs). The tool is listed once, under <see cref="Name"/>.
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The caller's idempotency key, on every tool that POSTs (it selects Stripe's Idempotency-Key; it is not sent as a field).</summary>
    public const string IdempotencyArgument = "idempotency_key";

    /// <summary>This row with the optional idempotency_key argument, when it POSTs (Stripe takes keys on POST only).</summary>
    public ToolDefinition WithCallerKey() => Method != HttpMethod.Post ? this : this with
    {
        Params = [.. Params, new IdParam(IdempotencyArgument, "")], // the server's instructions say how keys work, once
    };

    /// <summary>The per-call Connect argument, present only when the config lists context.accounts.</summary>
    public const string AccountArgument = "account";

    /// <summary>This tool has the per-call `account` argument (it selects Stripe-Account; it is not sent as a field).</summary>
    public bool PerCallAccount { get; init; }

    public ToolDefinition WithPerCallAccount(IReadOnlySet<string> allowed, string? fallback) => this with
    {
        PerCallAccount = true,
        Params = [.. Params, new IdParam(AccountArgument, AccountChoice(allowed, fallback), Prefix: "acct_")],
    };

    /// <summary>What the agent may pass as `account`, and what happens without it, in one sentence each.</summary>
    public static string AccountChoice(IReadOnlySet<string> allowed, string? fallback, int shown = 20)
    {
        var may = allowed.Contains("*")
            ? "any connected account of this platform (acct_…)"
            : allowed.Count <= shown
                ? $"one of {string.Join(", ", allowed.Order(StringComparer.Ordinal))}"
                : $"one of the {allowed.Count} connected accounts the operator allowed (e.g. {string.Join(", ", allowed.Order(StringComparer.Ordinal).Take(3))})";
        return $"Make this call on behalf of a connected account: {may}. Leave out to act {(fallback is null ? "on the platform account itself" : $"on behalf of {fallback}")}.";
    }

    /// <summary>Form fields the call always sends, whatever the arguments (resume_subscription clears pause_collection).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Fixed { get; init; } = [];

    /// <summary>Rules across arguments that a schema cannot say ("amount_off needs currency"), checked after the types.</summary>
    public Func<IReadOnlyDictionary<string, JsonElement>, IEnumerable<string>>? Check { get; init; }

    // The caches below remember what they were built from: `with` copies them into a row whose Path or Params differ.
    private (string For, string[] Names)? _pathParams;

    /// <summary>The names in braces in <see cref="Path"/>, read once.</summary>
    public IReadOnlyList<string> PathParams => _pathParams is { } c && ReferenceEquals(c.For, Path)
        ? c.Names
        : (_pathParams = (Path, [.. PathParamRegex().Matches(Path).Select(m => m.Groups[1].Value)])).Value.Names;

    /// <summary>The input schema: as published, or with every rule <see cref="Validate"/> checks (<see cref="Param.Schema"/>).</summary>
    public JsonObject InputSchema(bool strict = false) => ParamSet.ObjectSchema(Params, strict);

    private (IReadOnlyList<Param> For, JsonElement Schema)? _schemaElement;

    /// <summary>The input schema as published, built once (tools of several HTTP tokens share it).</summary>
    public JsonElement InputSchemaElement => _schemaElement is { } c && ReferenceEquals(c.For, Params)
        ? c.Schema
        : (_schemaElement = (Params, JsonDocument.Parse(InputSchema().ToJsonString()).RootElement.Clone())).Value.Schema;

    /// <summary>Every problem with the arguments, each naming the argument and the rule. Empty when they are fine.</summary>
    public List<string> Validate(IReadOnlyDictionary<string, JsonElement> args)
    {
        var problems = new List<string>();
        try
        {
            ParamSet.ValidateObject(Params, args, "", problems);
            if (problems.Count == 0 && Check is not null) problems.AddRange(Check(args));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to read a name or string holding an escaped lone surrogate (\uD800).
            problems.Add("arguments: hold text that is not valid Unicode (an unpaired surrogate)");
        }
        return problems;
    }

    /// <summary>The request path with path arguments filled in (they are validated ids, so safe to embed).</summary>
    public string ResolvePath(IReadOnlyDictionary<string, JsonElement> args) =>
        PathParamRegex().Replace(Path, m => Uri.EscapeDataString(args[m.Groups[1].Value].GetString()!));

    /// <summary>The arguments that travel as query or form fields (everything but path arguments).</summary>
    public IEnumerable<KeyValuePair<string, JsonElement>> Fields(IReadOnlyDictionary<string, JsonElement> args)
    {
        // Keep the schema's order so the wire form is stable whatever order the client used.
        foreach (var p in Params)
            if (!PathParams.Contains(p.Name) && !(PerCallAccount && p.Name == AccountArgument) && p.Name != IdempotencyArgument && args.TryGetValue(p.Name, out var v))
                yield return new(p.Name, v);
        foreach (var (name, value) in Fixed)
            yield return new(name, JsonSerializer.SerializeToElement(value));
    }

    private string? _returns;

    /// <summary>What <see cref="Returns"/> is for a row whose answer is some Stripe object, its type not known here (generic operations).</summary>
    public const string AnyObject = "*";

    /// <summary>The answer's "object", when the name and path do not tell it (the generic path's rows, from Stripe.net's return types).</summary>
    public string ReturnsAs { init => _returns = value; }

    /// <summary>
    /// The <c>object</c> Stripe answers this row with: "list" or "search_result" for list and search tools,
    /// else the resource the path names, singular and dotted the way Stripe names it
    /// (<c>/v1/checkout/sessions/{session}/expire</c> → <c>checkout.session</c>).
    /// </summary>
    public string Returns => _returns ??= Name.StartsWith("search_", StringComparison.Ordinal) ? "search_result"
        : Name.StartsWith("list_", StringComparison.Ordinal) ? "list"
        : string.Join('.', Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Skip(1).TakeWhile(s => !s.StartsWith('{'))
            .Select(s => s.EndsWith('s') ? s[..^1] : s));

    /// <summary>Why a successful answer is not what this row gets from Stripe, or null.</summary>
    public string? AnswerProblem(JsonElement answer)
    {
        var type = answer.TryGetProperty("object", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
        if (type is not null && Returns == AnyObject) return null;
        if (type != Returns) return $"an object of type {(type is null ? "(none)" : $"\"{LogText.Safe(type, 60)}\"")} where {Name} gets \"{Returns}\"";
        if (Returns is "list" or "search_result" && !(answer.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Array))
            return $"a {Returns} without a data array";
        return null;
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PathParamRegex();
}
