using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Policy;

/// <summary>The tool list as `stripe-mcp tools` prints it: a table, JSON, or the markdown of docs/tools.md.</summary>
internal static class ToolTable
{
    public static string HintText(ToolDefinition t) =>
        string.Join(", ", new[] { t.ReadOnly ? "read-only" : null, t.Destructive ? "destructive" : null, t.Idempotent ? "idempotent" : null }
            .Where(h => h is not null)) is { Length: > 0 } s ? s : "writes";

    /// <param name="enabled">With --all: the enabled names, for an ENABLED column; otherwise null.</param>
    /// <param name="surface">The surface tools to list after the typed rows (<see cref="Inventory.Surface"/>).</param>
    public static string Text(IReadOnlyList<ToolDefinition> rows, IReadOnlySet<string>? enabled, IEnumerable<SurfaceTool>? surface = null)
    {
        var lines = rows.Select(t => (t.Name, t.Permission, Hints: HintText(t)))
            .Concat((surface ?? []).Select(s => (s.Name, Permission: s.Permission ?? "(each operation's own)", Hints: s.ReadOnly ? "read-only, idempotent" : "writes")))
            .ToList();
        var name = lines.Max(t => t.Name.Length) + 2;
        var perm = lines.Max(t => t.Permission.Length) + 2;
        var sb = new StringBuilder();
        sb.Append("TOOL".PadRight(name)).Append("PERMISSION".PadRight(perm)).Append(enabled is null ? "" : "ENABLED  ").AppendLine("HINTS");
        foreach (var t in lines)
            sb.Append(t.Name.PadRight(name)).Append(t.Permission.PadRight(perm))
              .Append(enabled is null ? "" : (enabled.Contains(t.Name) ? "yes" : "no").PadRight(9)).AppendLine(t.Hints);
        return sb.ToString();
    }

    /// <summary>`tools --json`: the typed rows, then the surface tools (every one with --all, else the enabled ones).</summary>
    public static string Json(IReadOnlyList<ToolDefinition> rows, IReadOnlySet<string> enabled, bool all = false) =>
        Entries(rows, enabled, Inventory.Surface.Where(s => all || enabled.Contains(s.Name))).ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>One entry per row, as `tools --json` prints them (the policy resource lists the enabled ones the same way).</summary>
    public static JsonArray Entries(IEnumerable<ToolDefinition> rows, IReadOnlySet<string> enabled, IEnumerable<SurfaceTool> surface) =>
    [
        .. rows.Select(t => Entry(t.Name, t.Title, t.Permission, ToolCatalog.ToolsetOf(t), enabled, t.ReadOnly, t.Destructive, t.Idempotent, openWorld: true)),
        .. surface.Select(s => Entry(s.Name, s.Title, s.Permission ?? "each operation's own", s.Toolset, enabled, s.ReadOnly, s.Destructive, s.Idempotent, s.OpenWorld)),
    ];

    private static JsonNode Entry(string name, string title, string permission, string toolset, IReadOnlySet<string> enabled, bool readOnly, bool destructive, bool idempotent, bool openWorld) => new JsonObject
    {
        ["name"] = name,
        ["title"] = title,
        ["permission"] = permission,
        ["toolset"] = toolset,
        ["enabled"] = enabled.Contains(name),
        ["annotations"] = new JsonObject
        {
            ["readOnlyHint"] = readOnly,
            ["destructiveHint"] = destructive,
            ["idempotentHint"] = idempotent,
            ["openWorldHint"] = openWorld,
        },
    };

    /// <summary>The tool table of docs/tools.md (which embeds `stripe-mcp tools --all --markdown`; a test keeps them equal).</summary>
    public static string Markdown(IReadOnlyList<ToolDefinition> rows)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| tool | permission | toolset | hints | what it does |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var t in rows)
            sb.AppendLine($"| `{t.Name}` | `{t.Permission}` | {ToolCatalog.ToolsetOf(t)} | {HintText(t)} | {FirstSentence(t.Description)} |");
        return sb.ToString();
    }

    /// <summary>
    /// The limits table of docs/tools.md: every Stripe operation that moves money, the limit keys that cover it (from every
    /// surface: the typed tools named, stripe_api_write, …), and how its amount is known (a test keeps them equal).
    /// </summary>
    public static string LimitsMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| Stripe operation | limit keys that cover it | the amount checked |");
        sb.AppendLine("|---|---|---|");
        foreach (var op in ToolCatalog.All.Where(t => t.Money is not null).GroupBy(t => t.Operation).OrderBy(g => ToolCatalog.LimitKeys.ToList().IndexOf(g.First().Resource)))
        {
            var keys = op.Select(t => t.Resource).Distinct().Concat(op.Select(t => t.Name)).Select(k => $"`{k}`");
            sb.AppendLine($"| `{op.First().Method.Method} {op.First().Path}` | {string.Join(", ", keys)} | {op.First().Money!.How.Replace("|", "\\|")} |");
        }
        return sb.ToString();
    }

    /// <summary>Abbreviations whose period never ends a sentence: "(e.g. 3 API calls)" stays whole.</summary>
    private static readonly string[] Abbreviations = ["e.g", "i.e", "vs", "cf"];

    /// <summary>The text up to the first ". " that ends a sentence, for one table cell.</summary>
    private static string FirstSentence(string text)
    {
        var end = -1;
        for (var at = text.IndexOf(". ", StringComparison.Ordinal); at >= 0; at = text.IndexOf(". ", at + 1, StringComparison.Ordinal))
        {
            if (!Abbreviations.Any(a => EndsWithWord(text, at, a))) { end = at; break; }
        }
        var sentence = end < 0 ? text.TrimEnd('.') : text[..end];
        return sentence.Replace("|", "\\|");
    }

    /// <summary>Whether text[..at] ends with the word <paramref name="word"/> (not the tail of a longer one).</summary>
    private static bool EndsWithWord(string text, int at, string word) =>
        at >= word.Length && string.CompareOrdinal(text, at - word.Length, word, 0, word.Length) == 0
        && (at == word.Length || !char.IsLetterOrDigit(text[at - word.Length - 1]));
}
