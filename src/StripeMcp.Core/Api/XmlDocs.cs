using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace StripeMcp.Api;

/// <summary>
/// The XML documentation that ships in the Stripe.net package (Stripe.net.xml, copied beside the
/// assembly), read once at run time: summaries of services' methods and options' properties, as plain
/// text. None of it is in this repository. Missing (a build without it): every summary is null.
/// </summary>
internal static partial class XmlDocs
{
    private static readonly Lazy<Dictionary<string, string>> Members = new(Load);

    /// <summary>Where the documentation was looked for, and whether it was found.</summary>
    public static string? Path { get; private set; }

    public static bool Available => Members.Value.Count > 0;

    public static string? Method(MethodInfo m) =>
        Members.Value.GetValueOrDefault($"M:{m.DeclaringType!.FullName}.{m.Name}({string.Join(",", m.GetParameters().Select(p => TypeName(p.ParameterType)))})");

    public static string? Property(PropertyInfo p) => Members.Value.GetValueOrDefault($"P:{p.DeclaringType!.FullName}.{p.Name}");

    public static string? Type(Type t) => Members.Value.GetValueOrDefault($"T:{t.FullName}");

    /// <summary>A description, and the values it lists as "One of: a, b, or c." (then cut from the text).</summary>
    public static (string? Text, IReadOnlyList<string>? Values) Split(string? doc)
    {
        if (doc is null) return (null, null);
        var m = OneOfRegex().Match(doc);
        if (!m.Success) return (doc, null);
        var values = ValueRegex().Matches(m.Groups[1].Value).Select(v => v.Groups[1].Value).ToList();
        return (values.Count > 0 ? doc.Remove(m.Index, m.Length).Trim() is { Length: > 0 } rest ? rest : null : doc, values.Count > 0 ? values : null);
    }

    private static string TypeName(Type t) =>
        t.IsGenericType
            ? $"{t.Namespace}.{t.Name[..t.Name.IndexOf('`')]}{{{string.Join(",", t.GetGenericArguments().Select(TypeName))}}}"
            : (t.FullName ?? t.Name).Replace('+', '.');

    /// <summary>Where Stripe.net.xml is (beside the assembly, or the program), without reading it.</summary>
    public static string? Locate()
    {
        var assembly = typeof(global::Stripe.Service).Assembly;
        return new[] { System.IO.Path.GetDirectoryName(assembly.Location), AppContext.BaseDirectory }
            .Where(d => !string.IsNullOrEmpty(d)).Select(d => System.IO.Path.Combine(d!, "Stripe.net.xml")).FirstOrDefault(File.Exists);
    }

    private static Dictionary<string, string> Load()
    {
        Path = Locate();
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Path is null) return members;
        using var reader = XmlReader.Create(Path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true });
        while (reader.ReadToFollowing("member"))
        {
            var name = reader.GetAttribute("name");
            if (name is null) continue;
            using var member = reader.ReadSubtree();
            if (member.ReadToFollowing("summary") && Text(member) is { Length: > 0 } text) members[name] = text;
        }
        return members;
    }

    /// <summary>
    /// A summary's text in one pass over its nodes (what <see cref="Plain"/> makes of its inner XML, without building
    /// that XML): tags become spaces, code is marked with backticks, entities are decoded by the reader.
    /// </summary>
    private static string Text(XmlReader summary)
    {
        if (summary.IsEmptyElement) return "";
        var text = new StringBuilder();
        var depth = summary.Depth;
        summary.Read();
        while (!summary.EOF && !(summary.NodeType == XmlNodeType.EndElement && summary.Depth == depth))
        {
            text.Append(summary.NodeType switch
            {
                XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace => summary.Value,
                XmlNodeType.Element when summary.Name == "c" && !summary.IsEmptyElement => "`",
                XmlNodeType.EndElement when summary.Name == "c" => "`",
                XmlNodeType.Element or XmlNodeType.EndElement => " ",
                _ => "",
            });
            summary.Read();
        }
        return Tidy(text);
    }

    /// <summary>One line: runs of space made one, none before a stop or comma; "&lt;p&gt;…&lt;/p&gt;." ends once.</summary>
    private static string Tidy(StringBuilder text)
    {
        var t = SpaceRegex().Replace(text.ToString(), " ").Replace(" .", ".").Replace(" ,", ",").Trim();
        return t.EndsWith("..", StringComparison.Ordinal) ? t[..^1] : t;
    }

    [GeneratedRegex(@"(?:One of:|Either)\s*((?:`[^`]+`(?:,\s*or\s+|,\s*|\s+or\s+)?)+)\.?")]
    private static partial Regex OneOfRegex();

    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex ValueRegex();

    [GeneratedRegex(@"\s+")]
    private static partial Regex SpaceRegex();
}
