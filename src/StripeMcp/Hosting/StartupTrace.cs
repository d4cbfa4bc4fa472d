using System.Diagnostics;

namespace StripeMcp.Hosting;

/// <summary>
/// STRIPE_MCP_STARTUP_TRACE=1 prints, on stderr, how long after process start each start-up phase ended
/// (for docs/benchmarks.md). Off, it costs one environment lookup.
/// </summary>
internal static class StartupTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("STRIPE_MCP_STARTUP_TRACE") == "1";

    public static void Mark(string phase)
    {
        if (On) Console.Error.WriteLine($"startup: {phase} at {(DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds:F0} ms");
    }
}
