using System.Diagnostics;
using System.Text.Json;
using NJsonSchema;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>
/// Every command the documentation shows is run, here or by CI, or says beside it why it is not (see
/// <see cref="DocBlocks"/> for the markers). The commands run against the built server, offline.
/// </summary>
public sealed class DocsCommandsTests
{
    public static TheoryData<string, int> RunBlocks => DocBlocks.OfKind("run");
    public static TheoryData<string, int> ValidateBlocks => DocBlocks.OfKind("validate");
    public static TheoryData<string, int> CiBlocks => DocBlocks.OfKind("ci");
    public static TheoryData<string, int> ConfigBlocks => DocBlocks.OfKind("config");

    [Fact]
    public void Every_shell_block_is_run_or_says_why_not()
    {
        var problems = new List<string>();
        foreach (var block in DocBlocks.All())
        {
            if (block.Kind is { } kind && !DocBlocks.Kinds.Contains(kind)) problems.Add($"{block}: unknown marker kind \"{kind}\"");
            var json = block.Kind is "config" or "initialize";
            if (block.Kind is not null && json != (block.Language == "json")) problems.Add($"{block}: a {block.Kind} marker on a {block.Language} block");
            if (block.IsShell && block.Kind is null && !block.Text.StartsWith("# not run", StringComparison.Ordinal))
                problems.Add($"{block}: a shell block that is neither marked (<!-- docs-test: run|validate|ci -->) nor begins with \"# not run …: why\"");
            if (block.IsShell && block.Kind is null && block.Text.StartsWith("# not run", StringComparison.Ordinal) && !block.Text.Split('\n')[0].Contains(':'))
                problems.Add($"{block}: \"# not run\" must say why, after a colon");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The pages this test reads do mark their blocks: a parser that found nothing would pass the loop above.
        Assert.True(DocBlocks.All().Count(b => b.Kind == "run") >= 8, "fewer run blocks than the pages have");
        Assert.Contains(DocBlocks.All(), b => b.Kind == "validate");
    }

    [Theory]
    [MemberData(nameof(RunBlocks))]
    public async Task A_run_block_exits_as_the_page_says(string page, int line)
    {
        var block = DocBlocks.At(page, line);
        var run = await Bash(block.Text);
        Assert.True(run.ExitCode == block.Exit, $"{block} exited {run.ExitCode}, not {block.Exit}\n--- stdout\n{run.Stdout}\n--- stderr\n{run.Stderr}");
        if (block.StdoutHas is { } text) Assert.True(run.Stdout.Contains(text, StringComparison.Ordinal), $"{block}: stdout lacks {text}\n{run.Stdout}");
        if (block.Exit == 2) Assert.Contains("stripe-mcp:", run.Stderr); // an error says who speaks, on stderr
    }

    /// <summary>A serving command stays up, so its options are checked the way serve checks them: config validate says ok.</summary>
    [Theory]
    [MemberData(nameof(ValidateBlocks))]
    public async Task A_serving_command_is_a_configuration_serve_accepts(string page, int line)
    {
        var block = DocBlocks.At(page, line);
        Assert.NotEmpty(block.Commands());
        foreach (var command in block.Commands())
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var env = words.TakeWhile(w => w.Contains('=') && !w.StartsWith('-')).ToDictionary(w => w[..w.IndexOf('=')], w => (string?)w[(w.IndexOf('=') + 1)..]);
            words = words.Skip(env.Count).ToList();
            Assert.True(words[0] == "stripe-mcp", $"{block}: {command} is not a stripe-mcp command");
            var options = words.Skip(1).SkipWhile(w => w == "serve").ToArray();
            var run = await Commands.RunAsync(["config", "validate", .. options], env);
            Assert.True(run.ExitCode == 0, $"{block}: {command}: {run.Stderr}");
            Assert.Equal("ok", run.Stdout.Trim());
        }
    }

    [Theory]
    [MemberData(nameof(CiBlocks))]
    public void A_ci_block_is_what_ci_runs(string page, int line)
    {
        var block = DocBlocks.At(page, line);
        var ci = File.ReadAllText(TestFiles.Repo(".ci/run"));
        Assert.NotEmpty(block.Commands());
        foreach (var command in block.Commands())
        {
            var program = string.Join(' ', command.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2));
            Assert.True(ci.Contains(program, StringComparison.Ordinal), $"{block}: .ci/run never runs {program}");
        }
    }

    /// <summary>A whole config file shown in the docs is one the schema and the server accept ("&lt;64 hex&gt;" stands for a token's hash).</summary>
    [Theory]
    [MemberData(nameof(ConfigBlocks))]
    public async Task A_config_example_is_valid(string page, int line)
    {
        var json = DocBlocks.At(page, line).Text.Replace("<64 hex>", new string('a', 64), StringComparison.Ordinal);
        var schema = await JsonSchema.FromJsonAsync(File.ReadAllText(TestFiles.Repo("mcp-config.schema.json")));
        Assert.Empty(schema.Validate(json));
        var http = JsonDocument.Parse(json).RootElement.TryGetProperty("http", out _);
        var run = await Commands.RunAsync(["config", "validate", "--config", TestFiles.Config(json), "--api-key", TestServer.TestKey, .. http ? new[] { "--http" } : []]);
        Assert.True(run.ExitCode == 0, $"{page}:{line}: {run.Stderr}");
        Assert.Equal("ok", run.Stdout.Trim());
    }

    /// <summary>
    /// README's quick start: the initialize line it tells the reader to paste is answered with serverInfo, by the
    /// server and, when the tests run the build beside them, by README's own `dotnet run` command from the repository.
    /// </summary>
    [Fact]
    public async Task The_quick_start_initialize_line_is_answered_with_serverInfo()
    {
        var blocks = DocBlocks.Of("README.md");
        var line = blocks.Single(b => b.Kind == "initialize").Text.Trim();
        Assert.DoesNotContain('\n', line); // one line, as it is pasted
        Assert.Equal("2025-11-25", JsonDocument.Parse(line).RootElement.GetProperty("params").GetProperty("protocolVersion").GetString());

        var direct = await Bash("printf '%s\\n' \"$LINE\" | stripe-mcp --sandbox", new() { ["LINE"] = line });
        AssertServerInfo(direct);

        var quickStart = blocks.Single(b => b.Kind == "quick-start").Commands().Single();
        Assert.StartsWith("dotnet run --project src/StripeMcp -- --sandbox", quickStart);
        if (TestServer.OtherBuild is not null) return; // testing a shipped build: there is no source tree build to run
        var fromSource = await Bash($"cd \"$REPO\" && printf '%s\\n' \"$LINE\" | {quickStart}",
            new() { ["LINE"] = line, ["REPO"] = Path.GetDirectoryName(TestFiles.Repo("README.md")) }, TimeSpan.FromMinutes(3));
        AssertServerInfo(fromSource);
    }

    private static void AssertServerInfo(Commands.Run run)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        // `dotnet run` may print build lines first: the answer is the JSON line.
        var answer = run.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(a => a.TryGetProperty("id", out var id) && id.GetInt32() == 1);
        var result = answer.GetProperty("result");
        Assert.Equal("stripe-mcp", result.GetProperty("serverInfo").GetProperty("name").GetString());
        Assert.Equal("2025-11-25", result.GetProperty("protocolVersion").GetString());
    }

    /// <summary>
    /// Runs a block as a bash script in a fresh folder holding the repository's example config and schema, with
    /// `stripe-mcp` on PATH (the server beside the tests, or the build under test) and the server's clean environment.
    /// Background jobs a failing script leaves are killed when it exits.
    /// </summary>
    private static async Task<Commands.Run> Bash(string script, Dictionary<string, string?>? env = null, TimeSpan? timeout = null)
    {
        var dir = Directory.CreateTempSubdirectory("stripe-mcp-docs-").FullName;
        foreach (var file in new[] { "mcp-config.example.json", "mcp-config.schema.json" })
            File.Copy(TestFiles.Repo(file), Path.Combine(dir, file));
        var bin = Directory.CreateDirectory(Path.Combine(dir, ".bin")).FullName;
        var (command, arguments) = TestServer.Launch([]);
        var wrapper = Path.Combine(bin, "stripe-mcp");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec {Quote(command)} {string.Join(' ', arguments.Select(Quote))} \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var psi = new ProcessStartInfo("bash") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n" + script);
        foreach (var (k, v) in TestServer.CleanEnvironment(env)) psi.Environment[k] = v;
        psi.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(90)); }
        catch (TimeoutException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"the script did not end in time:\n{script}\n--- stderr\n{await stderr}");
        }
        return new Commands.Run(p.ExitCode, await stdout, await stderr);
    }

    private static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
