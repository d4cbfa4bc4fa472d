using System.Text.RegularExpressions;

namespace StripeMcp.Tests.Architecture;

/// <summary>
/// Two suites in one project: most tests run the server in process; WholeProcess/ spawns the program, and CI runs that
/// folder again against the shipped builds. So a test that spawns the server lives in WholeProcess/, and a test there
/// spawns it (one that ran the server in process would pass against any build, testing none of them).
/// </summary>
public sealed partial class SuiteBoundaryTests
{
    [GeneratedRegex(@"\b(TestServer\.SpawnAsync|HttpTestServer\.SpawnAsync|RawStdio\.Spawn|TestServer\.StartInfo)\b")]
    private static partial Regex Spawns();

    [GeneratedRegex(@"\b(TestServer\.StartAsync|HttpTestServer\.StartAsync|RawStdio\.Start|InProcessServer|RawMcpServer\.StartAsync)\b")]
    private static partial Regex RunsInProcess();

    private static IEnumerable<(string Path, string Text)> TestFiles(string under) =>
        Directory.GetFiles(Support.TestFiles.Repo(Path.Combine("tests", "StripeMcp.Tests", under)), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => (Path.GetRelativePath(Support.TestFiles.Repo(""), p).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllText(p)));

    [Fact]
    public void Only_the_whole_process_suite_spawns_the_server()
    {
        var outside = TestFiles("").Where(f => !f.Path.Contains("/WholeProcess/") && !f.Path.Contains("/Support/") && Spawns().IsMatch(f.Text)).Select(f => f.Path).ToList();
        Assert.True(outside.Count == 0, "Spawns the server outside WholeProcess/:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void The_whole_process_suite_runs_no_server_in_process()
    {
        var files = TestFiles("WholeProcess").ToList();
        Assert.NotEmpty(files);
        var inProcess = files.Where(f => RunsInProcess().IsMatch(f.Text)).Select(f => f.Path).ToList();
        Assert.True(inProcess.Count == 0, "Runs a server in process inside WholeProcess/:\n" + string.Join("\n", inProcess));
    }
}
