using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StripeMcp.Tools;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// One generated call: <see cref="ArgumentsJson"/> is one fault away from a valid call of <see cref="Tool"/>.
/// <see cref="Path"/> is the faulty argument as the server should name it ("customer", "items[0].price").
/// <see cref="Raw"/>: the SDK client cannot send these arguments (lone surrogates, JSON deeper than 64), so
/// the test writes them as JSON-RPC text itself.
/// </summary>
public sealed record FaultCase(string Tool, string Category, string Fault, string Path, string ArgumentsJson, bool Raw)
{
    /// <summary>The fault without this argument's particulars ("{p}/../x", "wrong prefix"), to count like faults together.</summary>
    public string Kind { get; init; } = Fault;

    public override string ToString() => $"{Tool} [{Category}] {Fault} @ {Path}";
}

/// <summary>
/// Generates <see cref="FaultCase"/>s from a tool's strict inputSchema (the published one with every rule the
/// server checks: lengths, whole id patterns, metadata's limits; ToolDefinition.InputSchema(strict: true)), deterministically. For every
/// argument (nested ones too) it first builds a valid call that includes that argument — the required
/// arguments with plausible values, plus whatever the tool's cross-argument rules need, checked with the
/// catalog's own validator — then breaks exactly that argument in every way that applies to its type.
/// </summary>
public static partial class SchemaFaults
{
    /// <summary>Stands for "\uD800" in generated JSON text: System.Text.Json cannot write a lone surrogate, so it is spliced into the text afterwards.</summary>
    private const string LoneSurrogate = "\u0001LONE-SURROGATE\u0001";

    public const string Unknown = "bogus_extra_argument";

    /// <summary>Hostile ids: (label, value) where "{p}" stands for the argument's own prefix (or "cus_" when it has none).</summary>
    public static readonly (string Label, string Value)[] HostileIds =
    [
        ("\".\"", "."),
        ("\"..\"", ".."),
        ("\"%2e\"", "%2e"),
        ("\"%2E%2E\"", "%2E%2E"),
        ("\"a/b\"", "a/b"),
        ("\"{p}/../x\"", "{p}/../x"),
        ("\"{p} x\" (space)", "{p} x"),
        ("\"{p}\\u0000\" (NUL)", "{p}\u0000"),
        ("\"{p}\\n\" (newline)", "{p}\n"),
        ("\"{p}?x=1\"", "{p}?x=1"),
        ("\"{p}#x\"", "{p}#x"),
        ("\"{p}\\uFF41\" (fullwidth a)", "{p}\uFF41"),
        ("\"\" (empty)", ""),
        ("300-character id", "{p}" + new string('a', 296)),
    ];

    public static IEnumerable<FaultCase> For(string tool, JsonObject strictSchema) => new Generator(tool, strictSchema).Cases();

    /// <summary>The prefixes an id argument's strict pattern requires ("^(?:ch_|py_)[A-Za-z0-9_]+$" → ch_, py_); none for a prefix-less id.</summary>
    public static IReadOnlyList<string> Prefixes(JsonObject schema) =>
        PrefixRegex().Match((string?)schema["pattern"] ?? "") is { Success: true } m ? m.Groups[1].Value.Split('|') : [];

    [GeneratedRegex(@"^\^\(\?:([a-z_|]+)\)")]
    private static partial Regex PrefixRegex();

    private sealed class Generator(string tool, JsonObject root)
    {
        private readonly ToolDefinition? _definition = ToolCatalog.Find(tool);
        private readonly List<FaultCase> _cases = [];
        private JsonObject? _base;

        public List<FaultCase> Cases()
        {
            _base = ValidContext([], null) ?? Required(root);
            var props = Props(root);

            // An unknown extra argument, and a real argument's name in the wrong case.
            Add("unknown_argument", $"unknown argument \"{Unknown}\"", Unknown, With(_base, Unknown, JsonValue.Create("x")));
            if (props.Count > 0)
            {
                // Beside the real one: a layer that matched names case-insensitively would take it as a second value.
                var (name, s) = props.First();
                var upper = name.ToUpperInvariant();
                var ctx = ValidContext([name], Valid(s, name)) ?? Clone(_base);
                Add("unknown_argument", $"\"{upper}\" beside \"{name}\" (a real argument's name upper-cased)", upper, With(ctx, upper, Valid(s, name)));
            }

            foreach (var (name, s) in props) Slot([name], s, Required(root, name));
            return _cases;
        }

        /// <summary>Every fault for the argument at <paramref name="path"/> (and, recursively, what is inside it).</summary>
        private void Slot(object[] path, JsonObject s, bool required)
        {
            var valid = Valid(s, Last(path));
            var ctx = ValidContext(path, valid);
            var shown = Show(path);
            if (ctx is null)
            {
                Add("generator", "no valid call including this argument was found; its faults are not tested", shown, new JsonObject());
                return;
            }
            JsonObject Set(JsonNode? value) => WithAt(ctx, path, value);

            if (required && path[^1] is string) Add("missing_required", "left out", shown, Without(ctx, path));
            if (required && path[^1] is string) Add("wrong_type", "null (required)", shown, Set(null));

            var type = (string?)s["type"];
            var isMap = type == "object" && s["additionalProperties"] is JsonObject;
            foreach (var (label, wrong) in WrongTypes(type)) Add("wrong_type", $"{label} for {(isMap ? "a map" : type)}", shown, Set(wrong));

            switch (type)
            {
                case "integer":
                {
                    var min = (long?)s["minimum"];
                    var max = (long?)s["maximum"];
                    if (min is { } lo) Add("integer_below_minimum", $"{lo - 1} (minimum {lo})", shown, Set(JsonValue.Create(lo - 1)));
                    if (max is { } hi) Add("integer_above_maximum", $"{hi + 1} (maximum {hi})", shown, Set(JsonValue.Create(hi + 1)));
                    Add("integer_non_integer", "1.5", shown, Set(JsonValue.Create(1.5)));
                    Add("integer_huge", "1e30", shown, Set(JsonNode.Parse("1e30")));
                    break;
                }
                case "number":
                {
                    var min = (double?)s["minimum"];
                    var max = (double?)s["maximum"];
                    if (min is { } lo) Add("number_out_of_range", $"{lo - 1} (minimum {lo})", shown, Set(JsonValue.Create(lo - 1)));
                    if (max is { } hi)
                    {
                        Add("number_out_of_range", $"{hi + 1} (maximum {hi})", shown, Set(JsonValue.Create(hi + 1)));
                        Add("number_out_of_range", $"1e30 (maximum {hi})", shown, Set(JsonNode.Parse("1e30")));
                    }
                    break;
                }
                case "string" when s["pattern"] is not null:
                    IdFaults(path, s, Set);
                    break;
                case "string" when s["enum"] is JsonArray values:
                {
                    var first = (string)values[0]!;
                    var all = values.Select(v => (string)v!).ToHashSet();
                    Add("enum_not_in_enum", "\"not_a_listed_value\"", shown, Set(JsonValue.Create("not_a_listed_value")));
                    if (!all.Contains(first.ToUpperInvariant())) Add("enum_not_in_enum", $"\"{first.ToUpperInvariant()}\" (listed value upper-cased)", shown, Set(JsonValue.Create(first.ToUpperInvariant())));
                    Add("enum_not_in_enum", $"\"{first} \" (listed value with a trailing space)", shown, Set(JsonValue.Create(first + " ")));
                    break;
                }
                case "string":
                {
                    if ((int?)s["maxLength"] is { } maxLength)
                        Add("string_too_long", $"{maxLength + 1} characters (maxLength {maxLength})", shown, Set(JsonValue.Create(new string('a', maxLength + 1))));
                    Add("text_lone_surrogate", "\"x\\uD800\" (lone surrogate, escaped in the JSON)", shown, Set(JsonValue.Create("x" + LoneSurrogate)), raw: true);
                    break;
                }
                case "array":
                {
                    var item = s["items"]!.AsObject();
                    var minItems = (int?)s["minItems"] ?? 0;
                    if ((int?)s["maxItems"] is { } maxItems)
                    {
                        var items = new JsonArray(Enumerable.Range(0, maxItems + 1).Select(_ => (JsonNode?)ItemOf(ctx, path, item)).ToArray());
                        Add("array_too_long", $"{maxItems + 1} items (maxItems {maxItems})", shown, Set(items));
                    }
                    if (minItems > 0) Add("array_too_short", $"[] (minItems {minItems})", shown, Set(new JsonArray()));
                    Slot([.. path, 0], item, required: false);
                    break;
                }
                case "object" when isMap:
                    MapFaults(path, s, Set);
                    break;
                case "object":
                {
                    Add("deep_object", "an object nested 100 deep", shown, Set(Nested(100)), raw: true);
                    var withExtra = (Get(ctx, path)?.DeepClone() as JsonObject) ?? new JsonObject();
                    withExtra["bogus_nested"] = 1;
                    Add("unknown_nested_argument", "unknown field \"bogus_nested\"", Show([.. path, "bogus_nested"]), Set(withExtra));
                    foreach (var (name, sub) in Props(s)) Slot([.. path, name], sub, Required(s, name));
                    break;
                }
            }
        }

        private void IdFaults(object[] path, JsonObject s, Func<JsonNode?, JsonObject> set)
        {
            var shown = Show(path);
            var prefixes = Prefixes(s);
            var p = prefixes.Count > 0 ? prefixes[0] : "cus_";
            foreach (var (label, value) in HostileIds)
                Add("id_hostile", label.Replace("{p}", p), shown, set(JsonValue.Create(value.Replace("{p}", p))), kind: label);
            if (prefixes.Count > 0)
            {
                var wrong = prefixes.Contains("sub_") ? "cus_123" : "sub_123";
                Add("id_wrong_prefix", $"\"{wrong}\" where the pattern says {string.Join(" or ", prefixes)}", shown, set(JsonValue.Create(wrong)), kind: "another resource's prefix");
            }
            Add("id_lone_surrogate", $"\"{p}\\uD800\" (lone surrogate, escaped in the JSON)", shown, set(JsonValue.Create(p + LoneSurrogate)), raw: true, kind: "\"{p}\\uD800\"");
            Add("id_replacement_char", $"\"{p}\\uFFFD\" (U+FFFD, what invalid UTF-8 decodes to)", shown, set(JsonValue.Create(p + "\uFFFD")), kind: "\"{p}\\uFFFD\"");
        }

        private void MapFaults(object[] path, JsonObject s, Func<JsonNode?, JsonObject> set)
        {
            var shown = Show(path);
            foreach (var (label, value) in new (string, JsonNode?)[] { ("1", JsonValue.Create(1)), ("true", JsonValue.Create(true)), ("null", null), ("{\"a\":\"b\"}", new JsonObject { ["a"] = "b" }), ("[\"x\"]", new JsonArray("x")) })
                Add("metadata_non_string", $"value {label}", shown, set(new JsonObject { ["order_id"] = value }));
            var maxProps = (int?)s["maxProperties"] ?? 50;
            var many = new JsonObject();
            for (var i = 0; i <= maxProps; i++) many[$"k{i}"] = "v";
            Add("metadata_too_many_keys", $"{maxProps + 1} keys", shown, set(many));
            Add("metadata_key_too_long", "a key of 41 characters", shown, set(new JsonObject { [new string('k', 41)] = "v" }));
            Add("metadata_bad_key", "key \"\" (empty)", shown, set(new JsonObject { [""] = "v" }));
            Add("metadata_bad_key", "key \"a[b]\"", shown, set(new JsonObject { ["a[b]"] = "v" }));
            if (s["additionalProperties"]?["maxLength"] is JsonNode ml)
                Add("string_too_long", $"a value of {(int)ml + 1} characters (maxLength {(int)ml})", shown, set(new JsonObject { ["order_id"] = new string('a', (int)ml + 1) }));
            Add("text_lone_surrogate", "a value \"x\\uD800\" (lone surrogate, escaped in the JSON)", shown, set(new JsonObject { ["order_id"] = "x" + LoneSurrogate }), raw: true);
            Add("deep_object", "a value nested 100 deep", shown, set(new JsonObject { ["order_id"] = Nested(99) }), raw: true);
        }

        private static IEnumerable<(string, JsonNode?)> WrongTypes(string? type) => type switch
        {
            "string" => [("42", JsonValue.Create(42)), ("true", JsonValue.Create(true)), ("{}", new JsonObject()), ("[\"x\"]", new JsonArray("x"))],
            "integer" or "number" => [("\"5\"", JsonValue.Create("5")), ("true", JsonValue.Create(true)), ("{}", new JsonObject()), ("[1]", new JsonArray(1))],
            "boolean" => [("\"true\"", JsonValue.Create("true")), ("1", JsonValue.Create(1)), ("{}", new JsonObject()), ("[]", new JsonArray())],
            "object" => [("\"x\"", JsonValue.Create("x")), ("1", JsonValue.Create(1)), ("true", JsonValue.Create(true)), ("[]", new JsonArray())],
            "array" => [("\"x\"", JsonValue.Create("x")), ("1", JsonValue.Create(1)), ("true", JsonValue.Create(true)), ("{}", new JsonObject())],
            _ => [],
        };

        private void Add(string category, string fault, string path, JsonObject args, bool raw = false, string? kind = null)
        {
            var json = args.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, MaxDepth = 256 });
            // The marker went through the writer as "\u0001LONE-SURROGATE\u0001"; put the escape a real client could send in its place.
            json = json.Replace("\\u0001LONE-SURROGATE\\u0001", "\\uD800");
            _cases.Add(new FaultCase(tool, category, fault, path, json, raw || json.Contains("\\uD800")) { Kind = kind ?? Regex.Replace(fault, @" \(m(?:ax|in)\w+ [0-9.]+\)$", "") });
        }

        // ---- valid calls ----

        /// <summary>
        /// A valid call (by the catalog's own validator) that includes <paramref name="path"/> set to
        /// <paramref name="value"/> (or just a valid call when path is empty): the required arguments, the
        /// argument's parents, then the fewest changes among other optional arguments that satisfy the tool's
        /// cross-argument rules. Null when none is found.
        /// </summary>
        private JsonObject? ValidContext(object[] path, JsonNode? value)
        {
            var start = Required(root);
            if (path.Length > 0) start = WithAt(start, path, value);
            if (IsValid(start)) return start;
            var top = path.Length > 0 ? (string)path[0] : null;
            var optional = Props(root).Where(p => p.Key != top && !Required(root, p.Key)).ToList();
            var removals = new List<string?> { null };
            removals.AddRange(start.Select(p => p.Key).Where(k => k != top && !Required(root, k)));
            var additions = optional.SelectMany(p => Candidates(p.Value, p.Key).Select(v => (p.Key, Value: v))).ToList();
            foreach (var remove in removals)
            {
                var baseCtx = Clone(start);
                if (remove is not null) baseCtx.Remove(remove);
                if (IsValid(baseCtx)) return baseCtx;
                foreach (var a in additions.Where(a => !baseCtx.ContainsKey(a.Key)))
                {
                    var one = With(baseCtx, a.Key, a.Value?.DeepClone());
                    if (IsValid(one)) return one;
                }
                foreach (var a in additions.Where(a => !baseCtx.ContainsKey(a.Key)))
                    foreach (var b in additions.Where(b => b.Key != a.Key && !baseCtx.ContainsKey(b.Key)))
                    {
                        var two = With(With(baseCtx, a.Key, a.Value?.DeepClone()), b.Key, b.Value?.DeepClone());
                        if (IsValid(two)) return two;
                    }
            }
            return null;
        }

        private bool IsValid(JsonObject args)
        {
            if (_definition is null) return true;
            using var doc = JsonDocument.Parse(args.ToJsonString());
            var dict = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
            return _definition.Validate(dict).Count == 0;
        }

        private static IEnumerable<JsonNode?> Candidates(JsonObject s, string name) =>
            s["enum"] is JsonArray values ? values.Select(v => v?.DeepClone()) : [Valid(s, name)];

        private static JsonObject Required(JsonObject s)
        {
            var o = new JsonObject();
            foreach (var (name, sub) in Props(s))
                if (Required(s, name)) o[name] = Valid(sub, name);
            return o;
        }

        private static bool Required(JsonObject s, string name) => s["required"] is JsonArray r && r.Any(n => (string?)n == name);

        private static List<KeyValuePair<string, JsonObject>> Props(JsonObject s) =>
            s["properties"] is JsonObject p ? p.Select(kv => KeyValuePair.Create(kv.Key, kv.Value!.AsObject())).ToList() : [];

        /// <summary>A plausible valid value for a schema (Stripe-like where the name says what it is).</summary>
        public static JsonNode? Valid(JsonObject s, string name)
        {
            switch ((string?)s["type"])
            {
                case "string" when s["enum"] is JsonArray values: return values[0]!.DeepClone();
                case "string" when s["pattern"] is not null:
                    var prefixes = Prefixes(s);
                    return prefixes.Count > 0 ? prefixes[0] + "Test1" : "Test1";
                case "string":
                    var maxLength = (int?)s["maxLength"];
                    var text = name switch
                    {
                        "currency" => "usd",
                        "country" => "US",
                        "locale" => "en",
                        "value" => "3",
                        "phone" => "+15555550100",
                        "code" => "SUMMER25",
                        "query" => "email:'jane@example.com'",
                        _ when name.Contains("email") => "jane@example.com",
                        _ when name == "url" || name.EndsWith("_url") => "https://example.com/done",
                        _ => "Test value",
                    };
                    return maxLength is { } ml && text.Length > ml ? text[..ml] : text;
                case "integer":
                {
                    var min = (long?)s["minimum"] ?? 0;
                    var max = (long?)s["maximum"] ?? long.MaxValue;
                    long n = name.EndsWith("_at") || name == "timestamp" ? 1_900_000_000 : name.Contains("amount") ? 500 : name == "limit" ? 10 : 1;
                    return Math.Clamp(n, min, max);
                }
                case "number":
                {
                    var min = (double?)s["minimum"] ?? 0;
                    var max = (double?)s["maximum"] ?? double.MaxValue;
                    return Math.Clamp(10.0, min, max);
                }
                case "boolean": return false;
                case "array":
                {
                    var item = s["items"]!.AsObject();
                    var n = Math.Max((int?)s["minItems"] ?? 0, 1);
                    return new JsonArray(Enumerable.Range(0, n).Select(_ => Valid(item, name)).ToArray());
                }
                case "object" when s["additionalProperties"] is JsonObject: return new JsonObject { ["order_id"] = "A-1" };
                case "object": return Required(s);
                default: return null;
            }
        }

        // ---- JSON paths ----

        private static string Last(object[] path) => path.LastOrDefault(p => p is string) as string ?? "";

        public static string Show(object[] path)
        {
            var sb = new StringBuilder();
            foreach (var p in path)
                if (p is int i) sb.Append('[').Append(i).Append(']');
                else sb.Append(sb.Length == 0 ? "" : ".").Append(p);
            return sb.ToString();
        }

        private static JsonObject Clone(JsonObject o) => o.DeepClone().AsObject();

        private static JsonObject With(JsonObject o, string name, JsonNode? value)
        {
            var c = Clone(o);
            c[name] = value;
            return c;
        }

        private static JsonNode? Get(JsonObject o, object[] path)
        {
            JsonNode? cur = o;
            foreach (var p in path)
                cur = p is int i ? (cur is JsonArray a && a.Count > i ? a[i] : null) : (cur as JsonObject)?[(string)p];
            return cur;
        }

        /// <summary>A copy with the value at path set, parents made from their schema where missing.</summary>
        private JsonObject WithAt(JsonObject o, object[] path, JsonNode? value)
        {
            var c = Clone(o);
            JsonNode cur = c;
            JsonObject schema = root;
            for (var k = 0; k < path.Length; k++)
            {
                var last = k == path.Length - 1;
                var (childSchema, seg) = path[k] is int ? (schema["items"]!.AsObject(), path[k]) : (schema["properties"]![(string)path[k]]!.AsObject(), path[k]);
                if (last)
                {
                    if (seg is int i) cur.AsArray()[i] = value?.DeepClone();
                    else cur.AsObject()[(string)seg] = value?.DeepClone();
                    break;
                }
                JsonNode? next = seg is int j ? cur.AsArray()[j] : cur.AsObject()[(string)seg];
                if (next is null)
                {
                    next = Valid(childSchema, seg as string ?? "");
                    if (seg is int j2) cur.AsArray()[j2] = next; else cur.AsObject()[(string)seg] = next;
                }
                cur = next!;
                schema = childSchema;
            }
            return c;
        }

        private static JsonObject Without(JsonObject o, object[] path)
        {
            var c = Clone(o);
            var parent = Get(c, path[..^1]);
            if (parent is JsonObject po) po.Remove((string)path[^1]);
            return c;
        }

        private static JsonNode? ItemOf(JsonObject ctx, object[] arrayPath, JsonObject itemSchema) =>
            (Get(ctx, [.. arrayPath, 0]) ?? Valid(itemSchema, ""))?.DeepClone();

        private static JsonObject Nested(int depth)
        {
            var o = new JsonObject();
            var cur = o;
            for (var i = 1; i < depth; i++)
            {
                var next = new JsonObject();
                cur["a"] = next;
                cur = next;
            }
            return o;
        }
    }
}
