using System.Text;
using System.Text.Json.Nodes;
using StripeMcp.Configuration;

namespace StripeMcp.Cli;

/// <summary>
/// docs/configuration.md's reference of mcp-config.json, rendered from <see cref="ConfigSchema.Build"/>: every key
/// with its type and what the schema says of it, the named types it refers to, and the long tables (resources and
/// their actions) on their own. The page embeds this output between markers; a test keeps the two equal.
/// </summary>
internal static class ConfigReference
{
    /// <summary>Sibling keys of one shape (limits' keys) are one row once there are this many of them (fewer keep a row each).</summary>
    private const int GroupFrom = 5;

    /// <summary>A named type with more keys than this (actions: every resource) gets a table of its own.</summary>
    private const int OwnTableFrom = 20;

    /// <summary>Enums up to this many values are listed; longer ones are counted.</summary>
    private const int ListedValues = 12;

    private sealed record Row(string Key, string Type, string Text);

    public static string Markdown() => Markdown(ConfigSchema.Build());

    public static string Markdown(JsonObject schema)
    {
        var walk = new Walk(schema["definitions"] as JsonObject ?? []);
        walk.Children("", schema);
        var sb = new StringBuilder();
        sb.AppendLine("| key | type | what it is |").AppendLine("|---|---|---|");
        foreach (var r in walk.Rows) sb.AppendLine($"| `{r.Key}` | {r.Type} | {r.Text} |");

        // Each named type, as often as it is referred to, is explained once.
        sb.AppendLine().AppendLine("Types the keys refer to:").AppendLine();
        sb.AppendLine("| type | what it is |").AppendLine("|---|---|");
        for (var i = 0; i < walk.Used.Count; i++) // a type may refer to another, which joins the list
        {
            var name = walk.Used[i];
            var def = walk.Definition(name);
            var choices = (def["anyOf"] ?? def["oneOf"]) as JsonArray ?? [];
            var text = OwnTable(def)
                ? Sentences(Text(def), "One key per resource: the table below.")
                : Sentences([walk.TypeOf(def, nested: false, top: true) + ".", Text(def), .. choices.OfType<JsonObject>().Select(Text), .. Constraints(def)]);
            sb.AppendLine($"| *{Words(name)}* | {text} |");
        }
        foreach (var name in walk.Used.Where(n => OwnTable(walk.Definition(n))))
            OwnTableMarkdown(sb, name, walk.Definition(name));
        return sb.ToString();
    }

    private sealed class Walk(JsonObject definitions)
    {
        public List<Row> Rows { get; } = [];

        /// <summary>The named types referred to, in the order they first appear.</summary>
        public List<string> Used { get; } = [];

        public JsonObject Definition(string name) => definitions[name] as JsonObject ?? throw new InvalidOperationException($"the schema has no definition {name}");

        /// <summary>A row for each key of <paramref name="obj"/>, then rows for the keys inside each.</summary>
        public void Children(string path, JsonObject obj)
        {
            if (obj["properties"] is not JsonObject properties) return;
            var required = (obj["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).ToHashSet();
            var shapes = properties.GroupBy(p => Shape(p.Value)).Where(g => g.Count() >= GroupFrom).ToDictionary(g => g.Key, g => g.Select(p => p.Key).ToList());
            foreach (var (name, value) in properties)
            {
                if (value is not JsonObject node) continue;
                if (shapes.TryGetValue(Shape(node), out var group))
                {
                    if (group[0] != name) continue; // the group's row was written at its first key
                    var shared = (JsonObject)node.DeepClone();
                    shared.Remove("description");
                    Property(Key(path, "<key>"), shared, required: false, $"One per key: {string.Join(", ", group.Select(k => $"`{k}`"))}.");
                    continue;
                }
                Property(Key(path, name), node, required.Contains(name));
            }
        }

        private void Property(string path, JsonObject node, bool required, string? more = null)
        {
            var target = node["$ref"] is JsonValue ? Definition(Ref(node)) : node;
            var notes = new List<string?> { Text(node) ?? (node["$ref"] is null ? null : Text(target)), more };
            if (required) notes.Add("Required.");
            if (node["$ref"] is null) notes.AddRange(Constraints(node));
            if (node["items"] is JsonObject described) notes.Add(Text(described));
            Rows.Add(new Row(path, TypeOf(node, nested: false, top: true), Sentences([.. notes])));
            if (node["$ref"] is not null) return; // a named type is explained once, in the types table
            Children(path, node);
            if (node["additionalProperties"] is JsonObject each && each["properties"] is not null) Property(Key(path, "<key>"), each, required: false);
            if (node["items"] is JsonObject items && items["properties"] is not null) Children(path + "[]", items);
        }

        /// <summary>The type in words: named types in italics, alternatives joined by "or".</summary>
        public string TypeOf(JsonObject node, bool nested, bool top = false)
        {
            if (node["$ref"] is JsonValue)
            {
                var name = Ref(node);
                if (!Used.Contains(name)) Used.Add(name);
                return $"*{Words(name)}*";
            }
            if (node["const"] is { } constant) return Code(constant);
            if ((node["oneOf"] ?? node["anyOf"]) is JsonArray choices)
            {
                var either = string.Join(" or ", choices.OfType<JsonObject>().Select(c => TypeOf(c, nested: true)));
                return nested ? $"({either})" : either;
            }
            if (node["enum"] is JsonArray values)
                return values.Count <= ListedValues ? "one of " + string.Join(", ", values.Select(v => Code(v!))) : $"one of {values.Count} values";
            var type = node["type"]?.GetValue<string>() ?? "any";
            switch (type)
            {
                case "array" when node["items"] is JsonObject items:
                    return items["properties"] is not null ? "array of objects" : "array of " + TypeOf(items, nested: true);
                case "object" when node["patternProperties"] is JsonObject patterns && patterns.Count == 1:
                    var (pattern, value) = patterns.First();
                    return $"object: key matching {Code(pattern)} → {TypeOf((JsonObject)value!, nested: true)}{Minimum((JsonObject)value!)}";
                case "object" when node["additionalProperties"] is JsonObject each:
                    var key = node["propertyNames"] is JsonObject names ? TypeOf(names, nested: true) : "any key";
                    return $"object: {key} → {(each["properties"] is not null ? "object" : TypeOf(each, nested: true))}";
                case "string" when !top && node["pattern"] is JsonValue p:
                    return $"string matching {Code(p)}";
                case "string" when node["format"] is JsonValue format:
                    return $"string ({format})";
                default:
                    return type;
            }
        }
    }

    /// <summary>What the schema requires of a value beyond its type, in words.</summary>
    private static IEnumerable<string> Constraints(JsonObject node)
    {
        if (node["type"]?.GetValue<string>() == "string" && node["pattern"] is JsonValue pattern) yield return $"Matches {Code(pattern)}.";
        if (node["minimum"] is JsonValue min) yield return $"At least {min}.";
        if (node["minLength"] is JsonValue length) yield return length.GetValue<int>() == 1 ? "Not empty." : $"At least {length} characters.";
        if (node["minItems"] is JsonValue items) yield return $"At least {items} item(s).";
        if (node["minProperties"] is JsonValue keys) yield return $"At least {keys} key(s).";
        if (node["uniqueItems"] is JsonValue unique && unique.GetValue<bool>()) yield return "No duplicates.";
        if (node["default"] is { } value) yield return $"Default {Code(value)}.";
    }

    private static string Minimum(JsonObject node) => node["minimum"] is JsonValue min ? $" ≥ {min}" : "";

    /// <summary>A named type whose keys are too many for rows: its own table (key, also written as, what each holds).</summary>
    private static bool OwnTable(JsonObject def) => def["properties"] is JsonObject p && p.Count > OwnTableFrom;

    private static void OwnTableMarkdown(StringBuilder sb, string name, JsonObject def)
    {
        var properties = (JsonObject)def["properties"]!;
        var keys = properties.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
        sb.AppendLine().AppendLine($"*{Words(name)}*, key by key (a snake_case spelling is the same key):").AppendLine();
        sb.AppendLine("| key | also written | takes |").AppendLine("|---|---|---|");
        foreach (var (key, value) in properties)
        {
            if (Camel(key) != key && keys.Contains(Camel(key))) continue; // the snake_case twin of a key already listed
            var twin = keys.FirstOrDefault(k => k != key && Camel(k) == key);
            var takes = value is JsonObject o && o["properties"] is JsonObject inner ? string.Join(", ", inner.Select(p => $"`{p.Key}`")) : "";
            sb.AppendLine($"| `{key}` | {(twin is null ? "" : $"`{twin}`")} | {takes} |");
        }
    }

    private static string Ref(JsonObject node) => node["$ref"]!.GetValue<string>().Split('/')[^1];

    /// <summary>The shape of a key's schema without its own description: siblings of one shape are one row.</summary>
    private static string Shape(JsonNode? node)
    {
        if (node is not JsonObject o) return node?.ToJsonString() ?? "null";
        var copy = (JsonObject)o.DeepClone();
        copy.Remove("description");
        return copy.ToJsonString();
    }

    private static string? Text(JsonObject node) => node["description"]?.GetValue<string>() is { } d ? Cell(d) : null;

    private static string Key(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Sentences(params string?[] parts) => string.Join(" ", parts.Where(p => !string.IsNullOrEmpty(p)));

    private static string Code(JsonNode value) =>
        "`" + (value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value.ToJsonString()).Replace("|", "\\|") + "`";

    private static string Cell(string text) => text.Replace("|", "\\|").ReplaceLineEndings(" ");

    /// <summary>toolOrOperation → "tool or operation".</summary>
    private static string Words(string camel) =>
        string.Concat(camel.Select(c => char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>payment_links → paymentLinks.</summary>
    private static string Camel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}
