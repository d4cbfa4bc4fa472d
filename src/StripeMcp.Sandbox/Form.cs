using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>
/// Stripe's form encoding decoded into a tree: <c>a[b][c]=v</c> → {"a":{"b":{"c":"v"}}},
/// <c>items[0][price]=p</c> and <c>expand[]=x</c> → arrays. Leaves stay strings; <see cref="P"/> types them.
/// </summary>
public static class Form
{
    public static JsonObject Parse(string? encoded)
    {
        var root = new JsonObject();
        if (string.IsNullOrEmpty(encoded)) return root;
        var appendCounter = 0;
        foreach (var pair in encoded.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            var segments = Segments(key);
            if (segments.Count == 0) continue;
            JsonObject node = root;
            for (var i = 0; i < segments.Count - 1; i++)
            {
                var seg = segments[i] == "" ? $"\u0001{appendCounter++}" : segments[i];
                if (node[seg] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[seg] = child;
                }
                node = child;
            }
            var last = segments[^1] == "" ? $"{appendCounter++:D6}" : segments[^1];
            node[last] = value;
        }
        return (JsonObject)Arrays(root);
    }

    private static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    private static List<string> Segments(string key)
    {
        var open = key.IndexOf('[');
        if (open < 0) return [key];
        var list = new List<string> { key[..open] };
        var rest = key[open..];
        while (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) break;
            list.Add(rest[1..close]);
            rest = rest[(close + 1)..];
        }
        return list;
    }

    /// <summary>Objects whose keys are all indices become arrays, in index order.</summary>
    private static JsonNode Arrays(JsonNode node)
    {
        if (node is not JsonObject obj) return node;
        var entries = obj.ToList();
        obj.Clear();
        foreach (var (k, v) in entries) obj[k] = v is null ? null : Arrays(v);
        if (entries.Count > 0 && entries.All(e => IsIndex(e.Key)))
        {
            var ordered = entries.OrderBy(e => long.Parse(e.Key.TrimStart('\u0001'), CultureInfo.InvariantCulture)).Select(e => e.Key).ToList();
            var array = new JsonArray();
            foreach (var k in ordered)
            {
                var v = obj[k];
                obj.Remove(k);
                array.Add(v);
            }
            return array;
        }
        return obj;
    }

    private static bool IsIndex(string k) => k.TrimStart('\u0001') is { Length: > 0 } d && d.All(char.IsAsciiDigit);
}

/// <summary>
/// Typed, checked access to decoded parameters. Errors are Stripe's: parameter_missing,
/// parameter_invalid_integer, parameter_unknown — each naming the parameter as Stripe writes it
/// (<c>recurring[interval]</c>).
/// </summary>
public sealed class P(JsonObject node, string prefix = "")
{
    public JsonObject Node { get; } = node;

    public string Name(string key) => prefix.Length == 0 ? key : $"{prefix}[{key}]";

    public bool Has(string key) => Node.ContainsKey(key);

    /// <summary>Present with an empty value: Stripe's way of clearing a field (<c>pause_collection=</c>).</summary>
    public bool IsEmpty(string key) => Node[key] is JsonValue v && v.GetValue<string>() == "";

    public string? Str(string key) => Node[key] switch
    {
        null => null,
        JsonValue v => v.GetValue<string>(),
        _ => throw StripeError.Invalid($"Invalid string: {Name(key)} must be a string", Name(key), "parameter_invalid_string"),
    };

    public string Req(string key) => Str(key) is { Length: > 0 } s ? s : throw StripeError.ParamMissing(Name(key));

    public long? Int(string key)
    {
        var s = Str(key);
        if (s is null || s == "") return null;
        return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw StripeError.InvalidInteger(Name(key), s);
    }

    public long ReqInt(string key) => Int(key) ?? throw StripeError.ParamMissing(Name(key));

    public decimal? Dec(string key)
    {
        var s = Str(key);
        if (s is null || s == "") return null;
        return decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n
            : throw StripeError.Invalid($"Invalid decimal: {s}", Name(key), "parameter_invalid_decimal");
    }

    public bool? Bool(string key) => Str(key) switch
    {
        null or "" => null,
        "true" => true,
        "false" => false,
        var s => throw StripeError.Invalid($"Invalid boolean: {s}", Name(key), "parameter_invalid_boolean"),
    };

    public string? Enum(string key, params string[] allowed)
    {
        var s = Str(key);
        if (s is null || allowed.Contains(s)) return s;
        throw StripeError.Invalid($"Invalid {Name(key)}: must be one of {string.Join(", ", allowed)}", Name(key));
    }

    public P? Obj(string key) => Node[key] switch
    {
        null => null,
        JsonObject o => new P(o, Name(key)),
        JsonValue v when v.GetValue<string>() == "" => null,
        _ => throw StripeError.Invalid($"Invalid object: {Name(key)} must be a hash", Name(key), "parameter_invalid_object"),
    };

    public IEnumerable<P> Arr(string key) => Node[key] switch
    {
        null => [],
        JsonArray a => a.Select((n, i) => n is JsonObject o ? new P(o, $"{Name(key)}[{i}]")
            : throw StripeError.Invalid($"Invalid array: {Name(key)}[{i}] must be a hash", $"{Name(key)}[{i}]", "parameter_invalid_array")).ToList(),
        JsonValue v when v.GetValue<string>() == "" => [],
        _ => throw StripeError.Invalid($"Invalid array: {Name(key)} must be an array", Name(key), "parameter_invalid_array"),
    };

    public IEnumerable<string> Strings(string key) => Node[key] switch
    {
        null => [],
        JsonArray a => a.Select(n => n?.GetValue<string>() ?? ""),
        JsonValue v => [v.GetValue<string>()],
        _ => [],
    };

    /// <summary>metadata[k]=v → {"k":"v"}; "metadata=" clears.</summary>
    public JsonObject? Metadata(string key = "metadata")
    {
        if (IsEmpty(key)) return new JsonObject();
        var o = Obj(key);
        if (o is null) return null;
        var result = new JsonObject();
        foreach (var (k, v) in o.Node)
            result[k] = v is JsonValue val ? val.GetValue<string>() : throw StripeError.Invalid($"Invalid metadata value for {k}", $"{Name(key)}[{k}]");
        return result;
    }

    /// <summary>Stripe rejects parameters it does not know; so does the sandbox.</summary>
    public void Allow(params string[] known)
    {
        foreach (var (k, _) in Node)
            if (!known.Contains(k) && k != "expand")
                throw StripeError.ParamUnknown(Name(k));
    }
}
