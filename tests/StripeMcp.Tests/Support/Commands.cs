using System.Diagnostics;

namespace StripeMcp.Tests.Support;

/// <summary>One of the executable's commands (tools, config validate, audit, …) run as an operator runs it: exit code, stdout, stderr.</summary>
public static class Commands
{
    public sealed record Run(int ExitCode, string Stdout, string Stderr);

    public static Task<Run> RunAsync(params string[] args) => RunAsync(args, null);

    /// <param name="env">Variables set for this run, on top of <see cref="TestServer.CleanEnvironment"/>.</param>
    public static async Task<Run> RunAsync(string[] args, Dictionary<string, string?>? env)
    {
        var psi = TestServer.StartInfo(args);
        foreach (var (k, v) in env ?? []) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (TimeoutException)
        {
            // A command that should have exited at once (a usage error) but serves: do not leave it running.
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"stripe-mcp {string.Join(' ', args)} did not exit within 30 s");
        }
        return new Run(p.ExitCode, await stdout, await stderr);
    }
}
