using System.Text.Json;

namespace StripeMcp.Amounts;

/// <summary>What a parameter is to the money check (money-parameters.txt says, for each).</summary>
internal enum ParamClass { Measured, Neutral, NeutralIf, Refused }

/// <summary>One line of money-parameters.txt: a parameter's class, and for neutral-if the values that keep it neutral.</summary>
internal sealed record Classification(ParamClass Class, IReadOnlyList<string> Values);

/// <summary>An operation's classified parameters, and every path that has lines below it (<c>line_items[]</c>, <c>automatic_tax.</c>).</summary>
internal sealed class OperationClasses(Dictionary<string, Classification> lines)
{
    public IReadOnlyDictionary<string, Classification> Lines => lines;

    public IReadOnlySet<string> Parents { get; } = lines.Keys.SelectMany(ParentsOf).ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> ParentsOf(string path)
    {
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '.') yield return path[..(i + 1)];
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == ']') yield return path[..(i + 2)];
        }
    }
}

/// <summary>
/// money-parameters.txt, parsed once: for each operation (by <see cref="MoneyOperations.Key"/>), each parameter
/// path (<c>line_items[].price_data.unit_amount</c>) and its class. The file is data, embedded in the assembly.
/// </summary>
internal static class MoneyParameters
{
    private static readonly Lazy<Dictionary<string, OperationClasses>> Table = new(() => Load().ToDictionary(e => e.Key, e => new OperationClasses(e.Value)));

    /// <summary>The classified parameters of an operation, or null when the file does not know it.</summary>
    public static OperationClasses? For(string key) => Table.Value.GetValueOrDefault(key);

    /// <summary>Every operation the file classifies, by key.</summary>
    public static IReadOnlyCollection<string> Keys => Table.Value.Keys;

    private static Dictionary<string, Dictionary<string, Classification>> Load()
    {
        using var stream = typeof(MoneyParameters).Assembly.GetManifestResourceStream("StripeMcp.Amounts.money-parameters.txt")
            ?? throw new InvalidOperationException("money-parameters.txt is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>The file's text as a table; a line it cannot read throws, naming the line.</summary>
    public static Dictionary<string, Dictionary<string, Classification>> Parse(string text)
    {
        var table = new Dictionary<string, Dictionary<string, Classification>>();
        Dictionary<string, Classification>? current = null;
        var n = 0;
        foreach (var raw in text.Split('\n'))
        {
            n++;
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!char.IsWhiteSpace(line[0]))
            {
                var parts = line.Split(' ', 2);
                table[MoneyOperations.Key(new HttpMethod(parts[0]), parts[1])] = current = new(StringComparer.Ordinal);
                continue;
            }
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (current is null || words.Length < 2) throw new FormatException($"money-parameters.txt line {n}: expected \"  parameter class\" under an operation");
            current[words[0]] = words[1] switch
            {
                "measured" => new(ParamClass.Measured, []),
                "neutral" => new(ParamClass.Neutral, []),
                "refused" => new(ParamClass.Refused, []),
                "neutral-if" when words.Length == 3 => new(ParamClass.NeutralIf, words[2].Split('|')),
                _ => throw new FormatException($"money-parameters.txt line {n}: unknown class \"{string.Join(' ', words[1..])}\""),
            };
        }
        return table;
    }

    /// <summary>Why this call cannot be measured (the first parameter that is refused or unclassified), or null when every one is measured or neutral.</summary>
    public static string? Unverifiable(OperationClasses classes, IEnumerable<KeyValuePair<string, JsonElement>> fields)
    {
        foreach (var (name, value) in fields)
            if (Walk(classes, name, name, value) is { } problem) return problem;
        return null;
    }

    private static string? Walk(OperationClasses classes, string path, string shown, JsonElement value)
    {
        var below = value.ValueKind switch
        {
            JsonValueKind.Object => path + ".",
            JsonValueKind.Array => path + "[]",
            _ => null,
        };
        // A line covers its path and all below it, unless lines for what is below it say more (an object variant of a parameter).
        if (classes.Lines.TryGetValue(path, out var c) && (below is null || !classes.Parents.Contains(below)))
            return Judge(c, shown, value);
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject())
                    if (Walk(classes, path + "." + p.Name, shown + "." + p.Name, p.Value) is { } problem) return problem;
                return null;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray())
                    if (Walk(classes, path + "[]", $"{shown}[{i++}]", item) is { } problem) return problem;
                return null;
            default:
                return $"parameter {shown} is not one the money check knows for this operation (no rule says whether it changes what is charged), so it is refused while limits apply";
        }
    }

    private static string? Judge(Classification c, string shown, JsonElement value) => c.Class switch
    {
        ParamClass.Measured or ParamClass.Neutral => null,
        ParamClass.NeutralIf when value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array)
            && c.Values.Contains(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()) => null,
        ParamClass.NeutralIf => $"parameter {shown} can change what is charged unless it is {string.Join(" or ", c.Values)}, and no limit rule measures that, so it is refused while limits apply",
        _ => $"parameter {shown} can change what is charged in a way no limit rule measures, so it is refused while limits apply",
    };
}
