using System.Text.Json.Nodes;

namespace StripeMcp.Benchmarks;

/// <summary>
/// Part of `context`: what an agent reads and writes, in bytes, to create one customer each way — typed (tools/list of
/// --sandbox, then create_customer) and compact (tools/list of --sandbox --compact, then stripe_api_search,
/// stripe_api_details and stripe_api_write). Each call counts its params as sent (name and arguments) and its result's
/// text; tools/list counts its tools array, as the rows above.
/// </summary>
internal static class FindAndCall
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}""";

    public static async Task RunAsync(string command, string[] baseArgs)
    {
        Console.WriteLine();
        Console.WriteLine("Finding and calling one operation (create a customer), bytes an agent reads and sends: tools/list's tools array, then each call's params and result text");
        Console.WriteLine();
        Console.WriteLine("| way | tools/list | calls | bytes of the calls | total | ≈ tokens |");
        Console.WriteLine("|---|---|---|---|---|---|");
        await Way("typed: tools/list (--sandbox), create_customer", command, [.. baseArgs],
            [("create_customer", new JsonObject { ["name"] = "Bench Co" })]);
        await Way("compact: tools/list (--sandbox --compact), stripe_api_search, stripe_api_details, stripe_api_write", command, [.. baseArgs, "--compact"],
        [
            ("stripe_api_search", new JsonObject { ["query"] = "create a customer" }),
            ("stripe_api_details", new JsonObject { ["operation"] = "PostCustomers" }),
            ("stripe_api_write", new JsonObject { ["operation"] = "PostCustomers", ["arguments"] = new JsonObject { ["name"] = "Bench Co" } }),
        ]);
    }

    private static async Task Way(string name, string command, string[] arguments, (string Tool, JsonObject Args)[] calls)
    {
        using var p = Args.StartServer(command, arguments);
        _ = p.StandardError.ReadToEndAsync();
        await Send(p, Initialize);
        await Read(p, 1);
        await Send(p, """{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await Send(p, """{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{}}""");
        var listed = Context.Bytes(Context.Tools(await Read(p, 2)));
        var spent = 0;
        var id = 3;
        foreach (var (tool, args) in calls)
        {
            var @params = new JsonObject { ["name"] = tool, ["arguments"] = args.DeepClone() };
            await Send(p, new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = @params }.ToJsonString());
            var result = JsonNode.Parse(await Read(p, id++))!["result"]!;
            if (result["isError"]?.GetValue<bool>() == true) throw new InvalidOperationException($"{tool} failed: {result.ToJsonString()}");
            spent += Utf8(@params.ToJsonString()) + result["content"]!.AsArray().Sum(c => Utf8(c!["text"]?.GetValue<string>() ?? ""));
        }
        p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        Console.WriteLine($"| {name} | {listed:N0} | {calls.Length} | {spent:N0} | {listed + spent:N0} | {(listed + spent) / 4:N0} |");
    }

    private static int Utf8(string s) => System.Text.Encoding.UTF8.GetByteCount(s);

    private static async Task Send(System.Diagnostics.Process p, string line)
    {
        await p.StandardInput.WriteLineAsync(line);
        await p.StandardInput.FlushAsync();
    }

    private static async Task<string> Read(System.Diagnostics.Process p, int id)
    {
        while (true)
        {
            var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("server closed stdout");
            if (line.Contains($"\"id\":{id},", StringComparison.Ordinal) || line.Contains($"\"id\":{id}}}", StringComparison.Ordinal)) return line;
        }
    }
}
