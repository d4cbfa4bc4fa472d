using System.Reflection;

namespace StripeMcp.Tests.Architecture;

/// <summary>
/// The engine's public surface is small and deliberate: every public type and member of StripeMcp.Core is listed in
/// src/StripeMcp.Core/PublicAPI.txt, and nothing else is public. The executable exposes nothing.
/// </summary>
public sealed class PublicApiTests
{
    private static IEnumerable<string> Surface(Assembly assembly) => assembly.GetExportedTypes()
        .SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Select(m => $"{t.FullName}::{m}")
            .Prepend($"{t.FullName}"))
        .Order(StringComparer.Ordinal);

    [Fact]
    public void The_engines_public_surface_is_its_baseline()
    {
        var baseline = File.ReadAllLines(Support.TestFiles.Repo("src/StripeMcp.Core/PublicAPI.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Order(StringComparer.Ordinal).ToList();
        var now = Surface(typeof(StripeMcp.Pipeline.TypedTool).Assembly).ToList();
        Assert.True(baseline.SequenceEqual(now),
            "StripeMcp.Core's public surface differs from src/StripeMcp.Core/PublicAPI.txt.\nNot in the baseline:\n  " +
            string.Join("\n  ", now.Except(baseline)) + "\nIn the baseline, no longer public:\n  " + string.Join("\n  ", baseline.Except(now)));
    }

    /// <summary>Only the compiler's Program of the top-level statements (public since .NET 10).</summary>
    [Fact]
    public void The_executable_exposes_no_public_type() =>
        Assert.Equal(["Program"], typeof(StripeMcp.Http.HttpServer).Assembly.GetExportedTypes().Select(t => t.FullName));
}
