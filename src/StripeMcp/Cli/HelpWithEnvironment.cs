using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using StripeMcp.Configuration;

namespace StripeMcp.Cli;

/// <summary>
/// The standard help, followed (for the commands that take the serve options) by the environment
/// variables we read and, for the root and serve, a few commands to start from.
/// </summary>
internal sealed class HelpWithEnvironment(HelpAction standard, IReadOnlyCollection<Command> readEnvironment, IReadOnlyCollection<Command> withExamples)
    : SynchronousCommandLineAction
{
    public static readonly IReadOnlyList<(string What, string Command)> Examples =
    [
        ("Try it offline on the built-in sandbox with demo data (no account, no key):", "stripe-mcp --sandbox"),
        ("A real key (a restricted rk_ key is best), only the tools an agent needs:",
            $"{EnvVars.ApiKey}=rk_test_… stripe-mcp --tools customers.read,invoices.read,refunds.create"),
        ("Streamable HTTP at http://127.0.0.1:3000/mcp (beyond loopback: --host and " + EnvVars.HttpTokens + "):",
            $"{EnvVars.ApiKey}=rk_test_… stripe-mcp serve --http --port 3000 --toolsets billing"),
    ];

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var exit = standard.Invoke(parseResult);
        var command = parseResult.CommandResult.Command;
        var output = parseResult.InvocationConfiguration.Output;
        if (readEnvironment.Contains(command))
        {
            output.WriteLine("Environment variables (a flag overrides its variable, which overrides the config file):");
            var width = EnvVars.All.Max(e => e.Name.Length) + 2;
            foreach (var (name, meaning) in EnvVars.All) output.WriteLine($"  {name.PadRight(width)}{meaning}");
            output.WriteLine();
        }
        if (withExamples.Contains(command))
        {
            output.WriteLine("Examples:");
            foreach (var (what, line) in Examples)
            {
                output.WriteLine($"  {what}");
                output.WriteLine($"    {line}");
            }
            output.WriteLine();
        }
        return exit;
    }
}
