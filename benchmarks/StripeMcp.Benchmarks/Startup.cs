using System.Diagnostics;

namespace StripeMcp.Benchmarks;

/// <summary>
/// `startup`: process start → `initialize` answer, then `tools/list` round trip, then resident memory, for
/// stripe-mcp and for Stripe's @stripe/mcp (which answers both without network in its --tools=all mode).
/// Each run is a fresh process; medians of --runs.
/// </summary>
internal static class Startup
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""";
    private const string Initialized = """{"jsonrpc":"2.0","method":"notifications/initialized"}""";
    private const string ListTools = """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""";

    public sealed record Sample(double InitializeMs, double ToolsListMs, double RssMiB, int Tools);

    /// <summary>--server "label=PATH" (repeatable): PATH is an executable, or a .dll run with `dotnet`.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var reference = Args.Str(args, "--reference");
        var runs = Args.Int(args, "--runs", 10);
        var servers = new List<(string Label, Sample Sample)>();
        var env = Args.ServerEnv(args);
        foreach (var spec in Args.All(args, "--server"))
        {
            var (label, path) = spec.LastIndexOf('=') is var eq and > 0 ? (spec[..eq], spec[(eq + 1)..]) : ("stripe-mcp", spec);
            var (command, arguments) = Args.Command(path, "--tools", "all", "--api-key", "sk_test_bench");
            servers.Add((label, await Measure(command, arguments, runs, env)));
        }
        var theirs = await Measure("node", [reference, "--tools=all", "--api-key=sk_test_bench"], runs);

        Console.WriteLine($"Start-up ({runs} fresh processes each, medians; tools/list after initialize; RSS after tools/list):");
        Console.WriteLine();
        Console.WriteLine("| server | tools | initialize ms | tools/list ms | RSS MiB |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine($"| @stripe/mcp 0.2.5 (node {NodeVersion()}) | {theirs.Tools} | {Args.F(theirs.InitializeMs, "F0")} | {Args.F(theirs.ToolsListMs)} | {Args.F(theirs.RssMiB)} |");
        foreach (var (label, sample) in servers) Row(label, sample, theirs);
        Console.WriteLine();
        return 0;
    }

    private static void Row(string name, Sample s, Sample reference) =>
        Console.WriteLine($"| {name} | {s.Tools} | {Args.F(s.InitializeMs, "F0")} = {Args.F(s.InitializeMs / reference.InitializeMs, "F2")}x (target <= 0.50x) | {Args.F(s.ToolsListMs)} = {Args.F(s.ToolsListMs / reference.ToolsListMs, "F2")}x | {Args.F(s.RssMiB)} = {Args.F(s.RssMiB / reference.RssMiB, "F2")}x (target <= 0.70x) |");

    private static string NodeVersion()
    {
        using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true })!;
        return p.StandardOutput.ReadToEnd().Trim();
    }

    public static async Task<Sample> Measure(string command, string[] arguments, int runs, Dictionary<string, string>? env = null)
    {
        await Once(command, arguments, env); // warm the disk cache; not counted
        var samples = new List<Sample>();
        for (var i = 0; i < runs; i++) samples.Add(await Once(command, arguments, env));
        return new Sample(Args.Median(samples.Select(s => s.InitializeMs)), Args.Median(samples.Select(s => s.ToolsListMs)),
            Args.Median(samples.Select(s => s.RssMiB)), samples[0].Tools);
    }

    private static async Task<Sample> Once(string command, string[] arguments, Dictionary<string, string>? env)
    {
        var watch = Stopwatch.StartNew();
        using var p = Args.StartServer(command, arguments, env);
        _ = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteLineAsync(Initialize);
        await p.StandardInput.FlushAsync();
        await Args.AnswerAsync(p, 1);
        var init = watch.Elapsed.TotalMilliseconds;
        await p.StandardInput.WriteLineAsync(Initialized);
        var list = Stopwatch.StartNew();
        await p.StandardInput.WriteLineAsync(ListTools);
        await p.StandardInput.FlushAsync();
        var tools = await Args.AnswerAsync(p, 2);
        var listMs = list.Elapsed.TotalMilliseconds;
        await Task.Delay(300);
        var rss = Args.RssMiB(p.Id);
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        var count = System.Text.Json.JsonDocument.Parse(tools).RootElement.GetProperty("result").GetProperty("tools").GetArrayLength();
        return new Sample(init, listMs, rss, count);
    }

    /// <summary>The tools/list answer of a fresh server process (after initialize), as its JSON line.</summary>
    public static async Task<string> ToolsListLine(string command, string[] arguments, Dictionary<string, string>? env = null)
    {
        using var p = Args.StartServer(command, arguments, env);
        _ = p.StandardError.ReadToEndAsync();
        await p.StandardInput.WriteLineAsync(Initialize);
        await p.StandardInput.FlushAsync();
        await Args.AnswerAsync(p, 1);
        await p.StandardInput.WriteLineAsync(Initialized);
        await p.StandardInput.WriteLineAsync(ListTools);
        await p.StandardInput.FlushAsync();
        var line = await Args.AnswerAsync(p, 2);
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        return line;
    }
}
