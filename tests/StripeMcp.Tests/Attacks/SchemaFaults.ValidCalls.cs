using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace StripeMcp.Tests.Attacks;

// The generator's valid calls (each fault breaks one argument of one) and its JSON path helpers.
public static partial class SchemaFaults
{
    private sealed partial class Generator
    {
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
