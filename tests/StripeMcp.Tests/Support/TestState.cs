using System.Runtime.CompilerServices;

namespace StripeMcp.Tests.Support;

/// <summary>Servers built inside the test process keep their state in a temporary folder, never the user's.</summary>
internal static class TestState
{
    [ModuleInitializer]
    internal static void UseTemporaryStateDirectory() =>
        Environment.SetEnvironmentVariable("XDG_STATE_HOME", Path.Combine(Path.GetTempPath(), $"stripe-mcp-test-state-{Environment.ProcessId}"));
}
