namespace StripeMcp.Hosting;

/// <summary>
/// What a server takes from the process it runs in: stdin and stdout (the stdio transport), stderr (every log line),
/// the environment, and SIGINT/SIGTERM. The program runs on its process's own; the tests run the same server, from
/// the same command line, on streams, a log and an environment of their own, many in one process.
/// </summary>
internal sealed record ProcessIo(Func<Stream> Input, Func<Stream> Output, TextWriter Errors, Func<string, string?> Environment, bool Signals)
{
    /// <summary>The process's own: its console, its environment, its signals.</summary>
    public static readonly ProcessIo Console = new(System.Console.OpenStandardInput, System.Console.OpenStandardOutput, System.Console.Error,
        System.Environment.GetEnvironmentVariable, Signals: true);
}
