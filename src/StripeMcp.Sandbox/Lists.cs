using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>Stripe's list and search envelopes: cursor pagination, created ranges, the search query language.</summary>
public static class Lists
{
    public static readonly string[] PagingParams = ["limit", "starting_after", "ending_before", "created"];

    public static long Limit(P p)
    {
        var limit = p.Int("limit") ?? 10;
        if (limit is < 1 or > 100) throw StripeError.Invalid("Invalid limit: must be between 1 and 100", "limit");
        return limit;
    }

    /// <summary>One page of <paramref name="newestFirst"/>, with limit, starting_after, ending_before and created filters.</summary>
    public static JsonObject Page(Call c, IEnumerable<JsonObject> newestFirst, string? url = null)
    {
        var p = c.P;
        var limit = (int)Limit(p);
        var items = Created(p, newestFirst).ToList();
        var after = p.Str("starting_after");
        var before = p.Str("ending_before");
        List<JsonObject> page;
        bool hasMore;
        if (!string.IsNullOrEmpty(after))
        {
            var i = IndexOf(items, after, "starting_after");
            var rest = items.Skip(i + 1).ToList();
            page = rest.Take(limit).ToList();
            hasMore = rest.Count > limit;
        }
        else if (!string.IsNullOrEmpty(before))
        {
            var i = IndexOf(items, before, "ending_before");
            var earlier = items.Take(i).ToList();
            page = earlier.Skip(Math.Max(0, earlier.Count - limit)).ToList();
            hasMore = earlier.Count > limit;
        }
        else
        {
            page = items.Take(limit).ToList();
            hasMore = items.Count > limit;
        }
        return new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray(page.Select(o => (JsonNode)o.DeepClone()).ToArray()),
            ["has_more"] = hasMore,
            ["url"] = url ?? c.Path,
        };
    }

    /// <summary>An embedded list (invoice lines, subscription items) with all its items.</summary>
    public static JsonObject Embedded(IEnumerable<JsonNode> items, string url)
    {
        var array = new JsonArray(items.Select(i => i.DeepClone()).ToArray());
        return new JsonObject { ["object"] = "list", ["data"] = array, ["has_more"] = false, ["url"] = url };
    }

    private static int IndexOf(List<JsonObject> items, string id, string param)
    {
        var i = items.FindIndex(o => o["id"]?.GetValue<string>() == id);
        return i >= 0 ? i : throw StripeError.Missing("object", id, param);
    }

    private static IEnumerable<JsonObject> Created(P p, IEnumerable<JsonObject> items)
    {
        if (p.Obj("created") is { } range)
        {
            long? gt = range.Int("gt"), gte = range.Int("gte"), lt = range.Int("lt"), lte = range.Int("lte");
            return items.Where(o =>
            {
                var t = o["created"]!.Long();
                return (gt is null || t > gt) && (gte is null || t >= gte) && (lt is null || t < lt) && (lte is null || t <= lte);
            });
        }
        return p.Int("created") is { } exact ? items.Where(o => o["created"]!.Long() == exact) : items;
    }

    /// <summary>Filters a list by top-level fields that equal the given parameters (customer=cus_1, status=open …).</summary>
    public static IEnumerable<JsonObject> Where(this IEnumerable<JsonObject> items, P p, params string[] fields)
    {
        foreach (var f in fields)
            if (p.Str(f) is { Length: > 0 } want)
                items = items.Where(o => Text(o[f]) == want).ToList();
        return items;
    }

    public static string? Text(JsonNode? n) => n switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        JsonValue v => v.ToJsonString(),
        JsonObject o => o["id"]?.GetValue<string>(),
        _ => null,
    };

    // ---- search ----

    /// <summary>
    /// Stripe's search: <c>field:"value"</c> (exact), <c>field~"sub"</c> (substring), numbers with
    /// <c>&gt; &lt; &gt;= &lt;=</c>, <c>metadata['key']:'value'</c>, a leading <c>-</c> negates, clauses joined by
    /// AND or by OR (not both). Pages with <c>page</c>/<c>next_page</c>.
    /// </summary>
    public static JsonObject Search(Call c, IEnumerable<JsonObject> newestFirst, IReadOnlyDictionary<string, Func<JsonObject, JsonNode?>> fields)
    {
        var p = c.P;
        p.Allow("query", "limit", "page");
        var query = p.Req("query");
        var predicate = ParseQuery(query, fields);
        var limit = (int)Limit(p);
        var offset = 0;
        if (p.Str("page") is { Length: > 0 } page)
        {
            try { offset = int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(page)), CultureInfo.InvariantCulture); }
            catch (FormatException) { throw StripeError.Invalid($"Invalid page: {page}", "page"); }
        }
        var matches = newestFirst.Where(predicate).ToList();
        var data = matches.Skip(offset).Take(limit).ToList();
        var more = matches.Count > offset + limit;
        return new JsonObject
        {
            ["object"] = "search_result",
            ["data"] = new JsonArray(data.Select(o => (JsonNode)o.DeepClone()).ToArray()),
            ["has_more"] = more,
            ["next_page"] = more ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + limit).ToString(CultureInfo.InvariantCulture))) : null,
            ["url"] = c.Path,
        };
    }

    private static Func<JsonObject, bool> ParseQuery(string query, IReadOnlyDictionary<string, Func<JsonObject, JsonNode?>> fields)
    {
        var clauses = SplitClauses(query, out var joiner);
        var tests = clauses.Select(cl => ParseClause(cl, fields)).ToList();
        return joiner == "OR" ? o => tests.Any(t => t(o)) : o => tests.All(t => t(o));
    }

    private static List<string> SplitClauses(string query, out string joiner)
    {
        var parts = new List<string>();
        var current = new StringBuilder();
        char? quote = null;
        var joiners = new HashSet<string>();
        var words = new List<string>();
        for (var i = 0; i < query.Length; i++)
        {
            var ch = query[i];
            if (quote is not null) { if (ch == quote) quote = null; current.Append(ch); continue; }
            if (ch is '"' or '\'') { quote = ch; current.Append(ch); continue; }
            if (ch == ' ')
            {
                var rest = query[(i + 1)..];
                foreach (var j in new[] { "AND ", "OR " })
                {
                    if (rest.StartsWith(j, StringComparison.Ordinal))
                    {
                        joiners.Add(j.Trim());
                        parts.Add(current.ToString().Trim());
                        current.Clear();
                        i += j.Length;
                        goto next;
                    }
                }
                // Stripe treats a plain space between clauses as AND.
                if (current.ToString().Trim().Length > 0 && LooksLikeClauseStart(rest))
                {
                    joiners.Add("AND");
                    parts.Add(current.ToString().Trim());
                    current.Clear();
                    continue;
                }
            }
            current.Append(ch);
        next:;
        }
        if (quote is not null) throw StripeError.Invalid($"Invalid query: unterminated quote in {query}", "query");
        parts.Add(current.ToString().Trim());
        if (joiners.Count > 1) throw StripeError.Invalid("Invalid query: AND and OR cannot be mixed in one query", "query");
        joiner = joiners.FirstOrDefault() ?? "AND";
        return parts.Where(s => s.Length > 0).ToList();
    }

    private static bool LooksLikeClauseStart(string rest) =>
        rest.TrimStart('-').TakeWhile(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '.' or '[' or ']' or '\'' or '"').Count() is > 0 and var n
        && rest.TrimStart('-').Length > n && rest.TrimStart('-')[n] is ':' or '~' or '<' or '>';

    private static Func<JsonObject, bool> ParseClause(string clause, IReadOnlyDictionary<string, Func<JsonObject, JsonNode?>> fields)
    {
        var negate = clause.StartsWith('-');
        if (negate) clause = clause[1..];
        var opIndex = clause.IndexOfAny([':', '~', '<', '>']);
        if (opIndex <= 0) throw StripeError.Invalid($"Invalid query clause: {clause}. Use field:\"value\".", "query");
        var field = clause[..opIndex].Trim();
        var op = clause[opIndex].ToString();
        var valueText = clause[(opIndex + 1)..];
        if (op is "<" or ">" && valueText.StartsWith('=')) { op += "="; valueText = valueText[1..]; }
        var value = Unquote(valueText.Trim());

        Func<JsonObject, JsonNode?> get;
        if (field.StartsWith("metadata[", StringComparison.Ordinal) && field.EndsWith(']'))
        {
            var key = Unquote(field["metadata[".Length..^1]);
            get = o => o["metadata"]?[key];
        }
        else if (!fields.TryGetValue(field, out get!))
            throw StripeError.Invalid($"Field '{field}' is an unsupported search field for this resource. Supported: {string.Join(", ", fields.Keys.Append("metadata"))}.", "query");

        Func<JsonObject, bool> test = op switch
        {
            ":" => o => string.Equals(Text(get(o)), value, StringComparison.OrdinalIgnoreCase),
            "~" => value.Length < 3
                ? throw StripeError.Invalid("Invalid query: substring (~) needs at least 3 characters", "query")
                : o => Text(get(o))?.Contains(value, StringComparison.OrdinalIgnoreCase) == true,
            _ => Numeric(get, op, value),
        };
        return negate ? o => !test(o) : test;
    }

    private static Func<JsonObject, bool> Numeric(Func<JsonObject, JsonNode?> get, string op, string value)
    {
        if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var n))
            throw StripeError.Invalid($"Invalid query: {op} needs a number, got {value}", "query");
        return o => decimal.TryParse(Text(get(o)), NumberStyles.Number, CultureInfo.InvariantCulture, out var x) && op switch
        {
            ">" => x > n, "<" => x < n, ">=" => x >= n, _ => x <= n,
        };
    }

    private static string Unquote(string s) =>
        s.Length >= 2 && (s[0] == '"' && s[^1] == '"' || s[0] == '\'' && s[^1] == '\'') ? s[1..^1] : s;
}
