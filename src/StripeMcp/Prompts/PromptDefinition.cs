using System.Text;
using System.Text.Json;
using StripeMcp.Tools;

namespace StripeMcp.Prompts;

/// <summary>
/// An argument of a prompt. MCP gives prompt arguments as strings; each is checked before it is written into the
/// prompt: an id by Stripe's id grammar (its prefix), an amount as a positive whole number, a choice among its
/// values, free text bounded and on one line.
/// </summary>
internal sealed record PromptArg(string Name, string Description, bool Required = false, string? IdPrefix = null, bool Amount = false, IReadOnlyList<string>? Choices = null, long Max = 99_999_999_999)
{
    public const int MaxText = 200;

    public string? Problem(string? value)
    {
        if (string.IsNullOrEmpty(value)) return Required ? $"{Name}: required ({Description})" : null;
        if (IdPrefix is not null)
        {
            var problems = new List<string>();
            new IdParam(Name, Description, Prefix: IdPrefix).Validate(JsonSerializer.SerializeToElement(value), Name, problems);
            return problems.FirstOrDefault();
        }
        if (Amount)
            return long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 && n <= Max
                ? null : $"{Name}: must be a whole number from 1 to {Max}{(Max == 99_999_999_999 ? " in the currency's smallest unit (1000 = 10.00 usd)" : "")}, got \"{Cut(value)}\"";
        if (Choices is not null)
            return Choices.Contains(value) ? null : $"{Name}: must be one of {string.Join(", ", Choices)}, got \"{Cut(value)}\"";
        // One line: no control character, no line or paragraph separator, no invisible format character (bidi overrides).
        if (value.Length > MaxText || value.Any(c => char.IsControl(c) || char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.LineSeparator
                or System.Globalization.UnicodeCategory.ParagraphSeparator or System.Globalization.UnicodeCategory.Format))
            return $"{Name}: must be one line of at most {MaxText} characters";
        return null;
    }

    private static string Cut(string s) => s.Length > 40 ? s[..40] + "…" : s;
}

/// <summary>
/// A workflow an agent or its human can start. Listed only when the policy publishes every tool of each group in
/// <see cref="Needs"/> (one tool of a group is enough); the text then names the tools to call in order, what to
/// check before money moves, and how to read Stripe's errors.
/// </summary>
internal sealed record PromptDefinition(string Name, string Title, string Description, IReadOnlyList<PromptArg> Args, IReadOnlyList<string[]> Needs, Func<PromptText, string> Render)
{
    public bool AvailableWith(IReadOnlySet<string> tools) => Needs.All(group => group.Any(tools.Contains));

    /// <summary>Every tool a prompt names, for the test that keeps them real.</summary>
    public IEnumerable<string> Tools => Needs.SelectMany(g => g);
}

/// <summary>What a prompt's text is written with: the checked arguments and the tools this caller has.</summary>
internal sealed class PromptText(IReadOnlyDictionary<string, string> args, IReadOnlySet<string> tools)
{
    private readonly StringBuilder _text = new();
    private int _step;

    public string? this[string name] => args.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Or(string name, string fallback) => this[name] ?? fallback;

    public bool Has(string tool) => tools.Contains(tool);

    /// <summary>The first of these tools the caller has (a prompt's Needs guarantee one).</summary>
    public string First(params string[] candidates) => candidates.FirstOrDefault(tools.Contains) ?? candidates[0];

    public PromptText Line(string line) { _text.AppendLine(line); return this; }

    /// <summary>A numbered step, written only when the caller has <paramref name="tool"/> (null: always).</summary>
    public PromptText Step(string text, string? tool = null)
    {
        if (tool is null || tools.Contains(tool)) _text.Append(++_step).Append(". ").AppendLine(text);
        return this;
    }

    public PromptText Errors(string specific)
    {
        _text.AppendLine().AppendLine("If a call fails, read the error before anything else: " + specific +
            " A refusal of this server (invalid_arguments, limit_exceeded, declined, confirmation_unavailable) sent nothing; for network_error or upstream_error the outcome is unknown, so retry with the same idempotency_key instead of creating anything new. The guide stripe-mcp://guides/errors lists every type.");
        return this;
    }

    public override string ToString() => _text.ToString().TrimEnd();
}
