namespace StripeMcp.Tests.Architecture;

/// <summary>A reader takes in a file at once: every hand-written source file is at most 400 lines (generated tables are data).</summary>
public sealed class FileSizeTests
{
    private const int MaxLines = 400;

    /// <summary>Files a program writes (a test keeps each equal to what its generator prints).</summary>
    private static readonly string[] Generated = ["src/StripeMcp.Core/Api/ApiPermissions.Table.cs"];

    [Fact]
    public void Every_hand_written_source_file_is_at_most_400_lines()
    {
        var root = Support.TestFiles.Repo("");
        var sep = Path.DirectorySeparatorChar;
        var tooLong = new[] { "src", "tests", "benchmarks" }
            .SelectMany(d => Directory.GetFiles(Path.Combine(root, d), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{sep}obj{sep}") && !p.Contains($"{sep}bin{sep}") && !p.Contains($"{sep}node_modules{sep}"))
            .Select(p => (Path: Path.GetRelativePath(root, p).Replace(sep, '/'), Lines: File.ReadAllLines(p).Length))
            .Where(f => f.Lines > MaxLines && !Generated.Contains(f.Path))
            .Select(f => $"{f.Path}: {f.Lines} lines")
            .ToList();
        Assert.True(tooLong.Count == 0, "Over 400 lines:\n" + string.Join("\n", tooLong));
        Assert.All(Generated, g => Assert.True(File.Exists(Path.Combine(root, g)), g));
    }
}
