using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StripeMcp.Tools;

/// <summary>
/// One argument of a tool. A Param knows three things: the JSON Schema an agent sees, how to
/// check a value before anything is sent, and (through <see cref="FormEncoder"/>) nothing else —
/// the wire form is derived from the validated JSON, so the schema is the only place a name lives.
/// Names are Stripe's own parameter names.
/// </summary>
internal abstract record Param(string Name, string Description, bool Required)
{
    /// <summary>
    /// The JSON Schema of this argument, with its description when it has one. The published schema (strict
    /// false) is what an agent reads in tools/list: types, enums, ranges, required fields, an id's prefix. The
    /// strict one adds every rule <see cref="Validate"/> enforces anyway (lengths, an id's whole pattern,
    /// metadata's limits), which an agent has no use for up front; a refused value's error names the rule.
    /// </summary>
    public JsonObject Schema(bool strict = false)
    {
        var schema = TypeSchema(strict);
        if (Description.Length > 0) schema["description"] = Description;
        return schema;
    }

    protected abstract JsonObject TypeSchema(bool strict);

    /// <summary>Adds one line per problem to <paramref name="problems"/>; <paramref name="path"/> names the argument.</summary>
    public abstract void Validate(JsonElement value, string path, List<string> problems);

    public static string Kind(JsonElement v) => Amounts.JsonText.Kind(v);

    protected static string Show(JsonElement v)
    {
        var raw = v.GetRawText();
        return raw.Length > 40 ? raw[..40] + "…" : raw;
    }

    /// <summary>A string argument's text, or null when it is not valid Unicode (an escaped lone surrogate such as \uD800).</summary>
    public static string? Text(JsonElement v)
    {
        try { return v.GetString(); }
        catch (InvalidOperationException) { return null; }
    }

    /// <summary>
    /// Why this text may not be sent, or null. U+FFFD is what a transport decodes invalid UTF-8 into,
    /// so text carrying it was already damaged; NUL has no place in any Stripe field.
    /// </summary>
    public static string? TextProblem(string? text) =>
        text is null ? "is not valid Unicode text (it holds an unpaired surrogate)"
        : text.Contains('\uFFFD') ? "is not valid UTF-8 text (it holds U+FFFD, the mark of bytes that were not UTF-8)"
        : text.Contains('\0') ? "must not contain a NUL character"
        : null;
}

/// <summary>A free-text string, optionally limited to an enumeration.</summary>
internal sealed record StringParam(string Name, string Description, bool Required = false,
    IReadOnlyList<string>? Enum = null, int MaxLength = 5000) : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict)
    {
        var s = new JsonObject { ["type"] = "string" };
        if (Enum is not null) s["enum"] = new JsonArray(Enum.Select(e => (JsonNode)e).ToArray());
        else if (strict) s["maxLength"] = MaxLength;
        return s;
    }

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.String) { problems.Add($"{path}: must be a string, got {Kind(v)}"); return; }
        var text = Text(v);
        if (TextProblem(text) is { } bad) { problems.Add($"{path}: {bad}"); return; }
        if (Enum is not null && !Enum.Contains(text))
            problems.Add($"{path}: must be one of {string.Join(", ", Enum.Select(e => $"\"{e}\""))}, got {Show(v)}");
        else if (text!.Length > MaxLength)
            problems.Add($"{path}: must be at most {MaxLength} characters, got {text.Length}");
    }
}

/// <summary>
/// A Stripe object id, checked by a positive rule: its prefix (<c>cus_</c>, or one of the prefix's
/// known alternatives, e.g. <c>py_</c> for a charge), then only letters, digits and '_'; an id without a
/// fixed prefix (a coupon code, a list cursor) may also hold '-'. Nothing else — no '.', '/', '%',
/// white space or control character — so an id can never steer a request to another path.
/// </summary>
internal sealed partial record IdParam(string Name, string Description, bool Required = false, string? Prefix = null)
    : Param(Name, Description, Required)
{
    public const int MaxLength = 255;

    /// <summary>Other prefixes Stripe uses for the same kind of object (ACH payments are py_, their refunds pyr_; older cards card_/src_/ba_).</summary>
    private static readonly Dictionary<string, string[]> Alternatives = new()
    {
        ["ch_"] = ["py_"],
        ["re_"] = ["pyr_"],
        ["pm_"] = ["card_", "src_", "ba_"],
    };

    public IReadOnlyList<string> Prefixes => string.IsNullOrEmpty(Prefix) ? [] : [Prefix, .. Alternatives.GetValueOrDefault(Prefix, [])];

    /// <summary>The JSON Schema pattern: the same rule as <see cref="IsValid"/>.</summary>
    public string Pattern => Prefixes.Count == 0
        ? $"^[A-Za-z0-9_-]{{1,{MaxLength}}}$"
        : $"^(?:{string.Join("|", Prefixes)})[A-Za-z0-9_]+$";

    /// <summary>The published pattern: only the prefix (^pi_, ^(ch_|py_)); an id without one publishes none.</summary>
    public string? PrefixPattern => Prefixes.Count switch
    {
        0 => null,
        1 => "^" + Prefix,
        _ => $"^({string.Join("|", Prefixes)})",
    };

    protected override JsonObject TypeSchema(bool strict)
    {
        var s = new JsonObject { ["type"] = "string" };
        if (strict) { s["pattern"] = Pattern; s["maxLength"] = MaxLength; }
        else if (PrefixPattern is { } prefix) s["pattern"] = prefix;
        return s;
    }

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.String) { problems.Add($"{path}: must be a Stripe id string, got {Kind(v)}"); return; }
        if (!IsValid(Text(v)))
            problems.Add(Prefixes.Count == 0
                ? $"{path}: must be an id of 1-{MaxLength} letters, digits, '_' or '-', got {Show(v)}"
                : $"{path}: must be a Stripe id: {string.Join(" or ", Prefixes.Select(p => p + "…"))} followed by letters, digits or '_' (at most {MaxLength} characters), got {Show(v)}");
    }

    public bool IsValid(string? id) =>
        id is { Length: > 0 and <= MaxLength } && (Prefixes.Count == 0
            ? IsSafeSegment(id)
            : Prefixes.FirstOrDefault(p => id.StartsWith(p, StringComparison.Ordinal)) is { } prefix && id.Length > prefix.Length
              && id.AsSpan(prefix.Length).IndexOfAnyExcept(IdChars) < 0);

    private static readonly System.Buffers.SearchValues<char> IdChars =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

    /// <summary>A path segment a filled-in template may hold: what any id argument allows.</summary>
    public static bool IsSafeSegment(string segment) => Amounts.JsonText.IsSafeSegment(segment);
}

/// <summary>An integer (amounts in the currency's smallest unit, counts, limits).</summary>
internal sealed record IntParam(string Name, string Description, bool Required = false, long Minimum = 0, long? Maximum = null)
    : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict)
    {
        var s = new JsonObject { ["type"] = "integer", ["minimum"] = Minimum };
        if (Maximum is { } max) s["maximum"] = max;
        return s;
    }

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        var range = Maximum is { } max ? $"from {Minimum} to {max}" : $">= {Minimum}";
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var n))
        {
            problems.Add($"{path}: must be a whole number {range}, got {Kind(v)} {Show(v)}");
            return;
        }
        if (n < Minimum || (Maximum is { } m && n > m))
            problems.Add($"{path}: must be a whole number {range}, got {n}");
    }
}

/// <summary>A decimal number (percentages).</summary>
internal sealed record NumberParam(string Name, string Description, bool Required = false, double Minimum = 0, double? Maximum = null)
    : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict)
    {
        var s = new JsonObject { ["type"] = "number", ["minimum"] = Minimum };
        if (Maximum is { } max) s["maximum"] = max;
        return s;
    }

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        var range = Maximum is { } max ? $"from {Minimum.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}" : $">= {Minimum.ToString(CultureInfo.InvariantCulture)}";
        if (v.ValueKind != JsonValueKind.Number) { problems.Add($"{path}: must be a number {range}, got {Kind(v)}"); return; }
        var n = v.GetDouble();
        if (n < Minimum || (Maximum is { } m && n > m)) problems.Add($"{path}: must be a number {range}, got {Show(v)}");
    }
}

internal sealed record BoolParam(string Name, string Description, bool Required = false) : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict) => new() { ["type"] = "boolean" };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            problems.Add($"{path}: must be true or false, got {Kind(v)} {Show(v)}");
    }
}

/// <summary>Stripe metadata: up to 50 string keys (40 characters) with string values (500 characters).</summary>
/// The typed tools' metadata has no description of its own: the server's instructions say what it is, once.
internal sealed record MetadataParam(string Name = "metadata", string Description = "")
    : Param(Name, Description, false)
{
    protected override JsonObject TypeSchema(bool strict) => strict
        ? new()
        {
            ["type"] = "object",
            ["additionalProperties"] = new JsonObject { ["type"] = "string", ["maxLength"] = 500 },
            ["maxProperties"] = 50,
        }
        : new() { ["type"] = "object", ["additionalProperties"] = new JsonObject { ["type"] = "string" } };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: must be an object of string values, got {Kind(v)}"); return; }
        var count = 0;
        foreach (var p in v.EnumerateObject())
        {
            count++;
            if (p.Name.Length is 0 or > 40 || p.Name.Contains('[') || p.Name.Contains(']'))
                problems.Add($"{path}: key \"{p.Name}\" must be 1-40 characters without '[' or ']'");
            else if (TextProblem(p.Name) is { } badKey)
                problems.Add($"{path}: key \"{p.Name}\" {badKey}");
            if (p.Value.ValueKind != JsonValueKind.String)
                problems.Add($"{path}.{p.Name}: must be a string, got {Kind(p.Value)}");
            else if (TextProblem(Text(p.Value)) is { } bad)
                problems.Add($"{path}.{p.Name}: {bad}");
            else if (p.Value.GetString()!.Length > 500)
                problems.Add($"{path}.{p.Name}: must be at most 500 characters");
        }
        if (count > 50) problems.Add($"{path}: at most 50 keys, got {count}");
    }
}

/// <summary>Stripe's decimal parameters (<c>unit_amount_decimal</c>): a decimal string, up to 12 places, or a number.</summary>
internal sealed partial record DecimalParam(string Name, string Description, bool Required = false) : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict) => new() { ["type"] = new JsonArray("string", "number") };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind == JsonValueKind.Number) return;
        if (v.ValueKind != JsonValueKind.String || Text(v) is not { } text || !Decimal().IsMatch(text))
            problems.Add($"{path}: must be a decimal string (e.g. \"12.5\", at most 12 decimal places) or a number, got {Kind(v)} {Show(v)}");
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^-?[0-9]{1,20}(\.[0-9]{1,12})?$")]
    private static partial System.Text.RegularExpressions.Regex Decimal();
}

/// <summary>
/// An object of keys the caller chooses, each value of one shape (<c>currency_options</c>: a currency → a price's
/// amounts in it). Stripe's metadata is <see cref="MetadataParam"/>; this is every other map of the generic catalog.
/// </summary>
internal sealed record MapParam(string Name, string Description, Param Value, bool Required = false)
    : Param(Name, Description, Required)
{
    private const int MaxKeys = 250, MaxKey = 100;

    protected override JsonObject TypeSchema(bool strict) => new() { ["type"] = "object", ["additionalProperties"] = Value.Schema(strict) };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: must be an object, got {Kind(v)}"); return; }
        var count = 0;
        foreach (var p in v.EnumerateObject())
        {
            if (++count > MaxKeys) { problems.Add($"{path}: at most {MaxKeys} keys"); return; }
            if (p.Name.Length is 0 or > MaxKey || p.Name.Contains('[') || p.Name.Contains(']'))
                problems.Add($"{path}: key \"{LogText.Safe(p.Name, 40)}\" must be 1-{MaxKey} characters without '[' or ']'");
            else if (TextProblem(p.Name) is { } badKey)
                problems.Add($"{path}: key \"{LogText.Safe(p.Name, 40)}\" {badKey}");
            else Value.Validate(p.Value, $"{path}.{p.Name}", problems);
        }
    }
}

/// <summary>A nested object with its own named fields (e.g. <c>recurring</c>, <c>evidence</c>).</summary>
internal sealed record ObjectParam(string Name, string Description, IReadOnlyList<Param> Fields, bool Required = false)
    : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict) => ParamSet.ObjectSchema(Fields, strict);

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.Object) { problems.Add($"{path}: must be an object, got {Kind(v)}"); return; }
        ParamSet.ValidateObject(Fields, v.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value)), path + ".", problems);
    }
}

/// <summary>An array of values described by <paramref name="Item"/> (its Name is unused).</summary>
internal sealed record ArrayParam(string Name, string Description, Param Item, bool Required = false, int MinItems = 0, int MaxItems = 100)
    : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict) => new()
    {
        ["type"] = "array",
        ["items"] = Item.Schema(strict),
        ["minItems"] = MinItems,
        ["maxItems"] = MaxItems,
    };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        if (v.ValueKind != JsonValueKind.Array) { problems.Add($"{path}: must be an array, got {Kind(v)}"); return; }
        var n = v.GetArrayLength();
        if (n < MinItems || n > MaxItems) problems.Add($"{path}: must have {MinItems} to {MaxItems} items, got {n}");
        var i = 0;
        foreach (var item in v.EnumerateArray()) Item.Validate(item, $"{path}[{i++}]", problems);
    }
}

/// <summary>Schema and validation for a set of named params: the shape of a tool's input and of nested objects.</summary>
internal static class ParamSet
{
    public static JsonObject ObjectSchema(IReadOnlyList<Param> fields, bool strict = false)
    {
        var props = new JsonObject();
        foreach (var f in fields) props[f.Name] = f.Schema(strict);
        var schema = new JsonObject { ["type"] = "object", ["properties"] = props };
        var required = fields.Where(f => f.Required).Select(f => (JsonNode)f.Name).ToArray();
        if (required.Length > 0) schema["required"] = new JsonArray(required);
        schema["additionalProperties"] = false;
        return schema;
    }

    /// <param name="prefix">"" for a tool's top-level arguments, "parent." for nested fields.</param>
    public static void ValidateObject(IReadOnlyList<Param> fields, IEnumerable<KeyValuePair<string, JsonElement>> members, string prefix, List<string> problems)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, value) in members)
        {
            seen.Add(name);
            var field = fields.FirstOrDefault(f => f.Name == name);
            if (field is null)
            {
                var hint = Suggest.Closest(name, fields.Select(f => f.Name));
                problems.Add($"{prefix}{name}: unknown argument{(hint is null ? "" : $" (did you mean \"{hint}\"?)")}; allowed: {string.Join(", ", fields.Select(f => f.Name))}");
            }
            else if (value.ValueKind == JsonValueKind.Null)
            {
                if (field.Required) problems.Add($"{prefix}{name}: is required and cannot be null");
            }
            else field.Validate(value, prefix + name, problems);
        }
        foreach (var f in fields.Where(f => f.Required && !seen.Contains(f.Name)))
            problems.Add($"{prefix}{f.Name}: is required{(f.Description.Length > 0 ? $" ({f.Description})" : "")}");
    }
}

/// <summary>A value of one of several shapes (Stripe.net's AnyOf: a string or an object, an id or "" to clear it …).</summary>
internal sealed record AnyOfParam(string Name, string Description, IReadOnlyList<Param> Choices, bool Required = false)
    : Param(Name, Description, Required)
{
    protected override JsonObject TypeSchema(bool strict) => new() { ["anyOf"] = new JsonArray([.. Choices.Select(c => (JsonNode)c.Schema(strict))]) };

    public override void Validate(JsonElement v, string path, List<string> problems)
    {
        var first = new List<string>();
        foreach (var choice in Choices)
        {
            var mine = new List<string>();
            choice.Validate(v, path, mine);
            if (mine.Count == 0) return;
            if (first.Count == 0) first = mine;
        }
        problems.Add($"{path}: matches none of its shapes ({string.Join(" or ", Choices.Select(c => c.Schema()["type"]?.ToString() ?? "anyOf"))}); {string.Join("; ", first)}");
    }
}
