using System.Text.RegularExpressions;
using StripeMcp.Cli;
using StripeMcp.Tests.Support;
using StripeMcp.Tools;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>How the command line answers a wrong or a curious operator: usage errors, help, one verdict for one set of options.</summary>
public sealed class CliUsageTests
{
    [Fact]
    public async Task A_mistyped_option_is_an_error_on_stderr_with_exit_2_and_nothing_on_stdout()
    {
        var run = await Commands.RunAsync("--tols", "all");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--tols", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    /// <summary>README's table keeps each description's first sentence; "e.g." inside it does not end it.</summary>
    [Fact]
    public void The_markdown_table_does_not_cut_a_description_at_an_abbreviation()
    {
        var cells = ToolTable.Markdown(ToolCatalog.All).Split('\n')
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => (Tool: l.Split('|')[1].Trim(), Text: l.Split(" | ")[^1].TrimEnd(' ', '|', '\r')))
            .ToList();
        Assert.Equal(ToolCatalog.All.Count, cells.Count);
        Assert.All(cells, c =>
        {
            Assert.False(Regex.IsMatch(c.Text, @"\b(e\.g|i\.e|vs|cf)\.?$"), $"{c.Tool}: cut at an abbreviation: {c.Text}");
            Assert.True(c.Text.Count(ch => ch == '(') == c.Text.Count(ch => ch == ')'), $"{c.Tool}: cut inside parentheses: {c.Text}");
        });
        Assert.Contains(cells, c => c.Tool == "`create_promotion_code`" && c.Text == "Create a code customers type (e.g. LAUNCH25) to redeem a coupon at checkout");
    }

    private static List<string> ProblemLines(Commands.Run run) =>
        run.Stderr.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();

    /// <summary>`config validate` judges the options exactly as `serve` would: same problems, same exit code.</summary>
    [Theory]
    [InlineData("--tools", "all")]
    [InlineData("--tools", "all", "--http", "--host", "0.0.0.0", "--api-key", TestServer.TestKey)]
    public async Task Config_validate_gives_the_verdict_serve_gives(params string[] options)
    {
        var serve = await Commands.RunAsync(["serve", .. options]);
        var validate = await Commands.RunAsync(["config", "validate", .. options]);
        Assert.Equal(2, serve.ExitCode);
        Assert.NotEmpty(ProblemLines(serve));
        Assert.Equal(ProblemLines(serve), ProblemLines(validate));
        Assert.Equal(2, validate.ExitCode);
        Assert.Equal("", validate.Stdout);
    }

    [Fact]
    public async Task A_missing_key_is_a_problem_for_serve_and_validate_but_tools_only_lists()
    {
        var validate = await Commands.RunAsync("config", "validate", "--tools", "customers.read");
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("no Stripe API key", validate.Stderr);
        Assert.Contains("STRIPE_SECRET_KEY", validate.Stderr);
        var tools = await Commands.RunAsync("tools", "--tools", "customers.read");
        Assert.Equal(0, tools.ExitCode);
        Assert.Contains("list_customers", tools.Stdout);
        var sandbox = await Commands.RunAsync("config", "validate", "--sandbox");
        Assert.Equal(0, sandbox.ExitCode);
        Assert.Equal("ok", sandbox.Stdout.Trim());
    }

    /// <summary>The options of serve, tools and config validate, which mean nothing to sandbox or hash-token.</summary>
    public static readonly string[] ServeOptionNames =
    [
        "--config", "--tools", "--toolsets", "--api-key", "--stripe-account", "--stripe-api-base", "--read-only", "--log-level",
        "--max-network-retries", "--sandbox", "--allow-live", "--dry-run", "--audit-log", "--http", "--host", "--stateful",
    ];

    private static bool Names(string text, string option) => Regex.IsMatch(text, $@"(?<![\w-]){Regex.Escape(option)}(?![\w-])");

    [Theory]
    [InlineData("sandbox", "--seed", "--faults", "--fault-rate", "--fault-kinds", "--stall-ms", "--port")]
    [InlineData("hash-token")]
    public async Task Help_of_a_command_that_serves_nothing_shows_only_its_own_options(string command, params string[] own)
    {
        var help = await Commands.RunAsync(command, "--help");
        Assert.Equal(0, help.ExitCode);
        Assert.All(own, o => Assert.True(Names(help.Stdout, o), $"{command} --help lacks {o}"));
        Assert.All(ServeOptionNames, o => Assert.False(Names(help.Stdout, o), $"{command} --help lists the serve option {o}"));
    }

    [Theory]
    [InlineData("--tools: not an option of 'sandbox'", "sandbox", "--port", "0", "--tools", "all")]
    [InlineData("--dry-run: not an option of 'sandbox'", "sandbox", "--port", "0", "--dry-run")]
    [InlineData("--http: not an option of 'sandbox'", "sandbox", "--port", "0", "--http")]
    [InlineData("--tools: a serve option, given before 'sandbox'", "--tools", "all", "sandbox", "--port", "0")]
    [InlineData("--api-key: not an option of 'hash-token'", "hash-token", "--api-key", "sk_test_SecretValue123")]
    [InlineData("--stateful: not an option of 'schema'", "config", "schema", "--stateful")]
    public async Task A_serve_option_given_to_a_command_that_serves_nothing_is_a_usage_error_naming_it(string expected, params string[] args)
    {
        var run = await Commands.RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("SecretValue123", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("--port: 'abc' is not a whole number", "sandbox", "--port", "abc")]
    [InlineData("--port: 'abc' is not a whole number", "--http", "--port", "abc")]
    [InlineData("--stall-ms: '1.5' is not a whole number", "sandbox", "--stall-ms", "1.5")]
    [InlineData("--max-network-retries: 'two' is not a whole number", "tools", "--max-network-retries", "two")]
    [InlineData("--max-network-retries: 99999999999 is out of range", "serve", "--max-network-retries", "99999999999")]
    public async Task A_bad_number_names_the_option_and_the_value(string expected, params string[] args)
    {
        var run = await Commands.RunAsync(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Stderr);
        Assert.DoesNotContain("System.", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Tools_markdown_and_json_together_is_a_usage_error()
    {
        var run = await Commands.RunAsync("tools", "--tools", "all", "--markdown", "--json");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--json and --markdown: choose one", run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("tools")]
    [InlineData("config", "validate")]
    [InlineData("sandbox")]
    public async Task Version_answers_on_a_subcommand_too(params string[] command)
    {
        var run = await Commands.RunAsync([.. command, "--version"]);
        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout.Trim());
    }

    /// <summary>Every STRIPE_… name in our sources: the variables we read.</summary>
    private static IReadOnlySet<string> VariablesWeRead() =>
        Directory.EnumerateFiles(TestFiles.Repo("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => Regex.Matches(File.ReadAllText(f), "\"(STRIPE_[A-Z0-9_]+)\"").Select(m => m.Groups[1].Value))
            .ToHashSet();

    [Fact]
    public async Task Help_ends_with_every_environment_variable_we_read_and_examples()
    {
        var variables = VariablesWeRead();
        Assert.Contains("STRIPE_SECRET_KEY", variables);
        Assert.Contains("STRIPE_MCP_STARTUP_TRACE", variables);
        var help = (await Commands.RunAsync("--help")).Stdout.ReplaceLineEndings("\n");
        var env = help.IndexOf("\nEnvironment variables", StringComparison.Ordinal);
        var examples = help.IndexOf("\nExamples:", StringComparison.Ordinal);
        Assert.True(env > help.IndexOf("\nCommands:", StringComparison.Ordinal) && examples > env, help);
        var envSection = help[env..examples];
        Assert.All(variables, v => Assert.Matches($@"\n  {v} +\S", envSection));
        var commands = help[examples..].Split('\n').Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.InRange(commands.Count, 2, 3);
        Assert.Contains(commands, c => c.Contains("--sandbox"));
        Assert.Contains(commands, c => c.Contains("--tools ") || c.Contains("--toolsets "));
        Assert.Contains(commands, c => c.Contains("--http"));
    }

    /// <summary>Each example in --help is a configuration serve accepts: `config validate` says ok to it.</summary>
    [Fact]
    public async Task Every_example_in_help_validates()
    {
        var help = (await Commands.RunAsync("--help")).Stdout.ReplaceLineEndings("\n");
        var commands = help[help.IndexOf("\nExamples:", StringComparison.Ordinal)..].Split('\n')
            .Where(l => l.StartsWith("    ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
        Assert.NotEmpty(commands);
        foreach (var command in commands)
        {
            var words = command.Replace("…", "x", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
            var env = words.TakeWhile(w => w.Contains('=')).ToDictionary(w => w[..w.IndexOf('=')], w => (string?)w[(w.IndexOf('=') + 1)..]);
            words = words.Skip(env.Count).ToList();
            Assert.Equal("stripe-mcp", words[0]);
            var options = words.Skip(1).SkipWhile(w => w == "serve").ToArray();
            var run = await Commands.RunAsync(["config", "validate", .. options], env);
            Assert.True(run.ExitCode == 0, $"{command}: {run.Stderr}");
            Assert.Equal("ok", run.Stdout.Trim());
        }
    }

    [Theory]
    [InlineData("serve")]
    [InlineData("tools")]
    [InlineData("config", "validate")]
    public async Task Help_of_a_command_that_takes_the_serve_options_names_the_environment(params string[] command)
    {
        var help = await Commands.RunAsync([.. command, "--help"]);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--api-key", help.Stdout);
        Assert.Contains("Environment variables", help.Stdout);
        Assert.Contains("STRIPE_SECRET_KEY", help.Stdout[help.Stdout.IndexOf("Environment variables", StringComparison.Ordinal)..]);
    }
}
