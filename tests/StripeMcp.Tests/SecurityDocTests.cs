using System.Reflection;
using System.Text.RegularExpressions;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>docs/security.md names the tests that attack each promise: every name must be a real test (or test file).</summary>
public sealed partial class SecurityDocTests
{
    [Fact]
    public void Every_test_the_threat_model_names_exists()
    {
        var doc = File.ReadAllText(TestFiles.Repo("docs/security.md"));
        var methods = typeof(SecurityDocTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttributes<FactAttribute>().Any()).Select(m => (Type: t.Name, m.Name)))
            .ToList();
        var missing = new List<string>();
        var named = 0;
        foreach (Match m in TestName().Matches(doc))
        {
            var (type, name) = (m.Groups["type"].Value, m.Groups["name"].Value.TrimEnd('…'));
            var prefix = m.Groups["name"].Value.EndsWith('…');
            bool Fits((string Type, string Name) t) => (type.Length == 0 || t.Type == type) && (prefix ? t.Name.StartsWith(name, StringComparison.Ordinal) : t.Name == name);
            named++;
            if (!methods.Any(Fits)) missing.Add(m.Value);
        }
        foreach (Match m in TestFile().Matches(doc))
        {
            named++;
            if (!File.Exists(TestFiles.Repo($"tests/StripeMcp.Tests/{m.Groups["dir"].Value}/{m.Groups["file"].Value}.cs"))) missing.Add(m.Value);
        }
        Assert.True(named > 30, $"only {named} test names found in docs/security.md");
        Assert.True(missing.Count == 0, "docs/security.md names tests that do not exist: " + string.Join(", ", missing));
    }

    // `Class.Method_name`, `Method_name`, or a unique start of one ending in "…".
    [GeneratedRegex(@"`(?:(?<type>[A-Z][A-Za-z]+)\.)?(?<name>[A-Z][A-Za-z0-9]*_[A-Za-z0-9_]*…?)`")]
    private static partial Regex TestName();

    [GeneratedRegex(@"`(?<dir>Attacks)/(?<file>[A-Za-z]+)`")]
    private static partial Regex TestFile();
}
