using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StripeMcp.Tests.Attacks;

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

    private sealed partial class Generator(string tool, JsonObject root)
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
    }
}
