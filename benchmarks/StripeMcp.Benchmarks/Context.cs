using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Tools;

namespace StripeMcp.Benchmarks;

/// <summary>
/// `context`: what an agent pays in context for the tools it is given — the bytes of tools/list (the tools
/// array, compact JSON as sent) and an estimate in tokens (4 bytes a token) — for every typed tool, each
/// toolset, the generic path alone and compact mode, side by side with @stripe/mcp 0.2.5 in one run (without
/// --reference, its row and the ratios are left out). Then what an agent spends to find and call one operation each way.
///   context --server PATH [--reference PATH/@stripe/mcp/dist/index.js]
/// </summary>
internal static class Context
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = Args.Str(args, "--server");
        var reference = args.Contains("--reference") ? Args.Str(args, "--reference") : null;
        var theirs = reference is null ? null : Tools(await Startup.ToolsListLine("node", [reference, "--tools=all", "--api-key=sk_test_bench"]));
        var perToolTheirs = theirs is null ? double.NaN : Bytes(theirs) / (double)theirs.Count;

        Console.WriteLine("Context: tools/list's tools array as sent (compact JSON), bytes and ≈ tokens (bytes / 4); stripe-mcp with --sandbox and the toolset given");
        Console.WriteLine();
        Console.WriteLine("| tools | count | bytes | ≈ tokens | bytes per tool | per tool vs @stripe/mcp |");
        Console.WriteLine("|---|---|---|---|---|---|");
        if (theirs is not null) Row("@stripe/mcp 0.2.5, --tools=all", theirs);
        var (command, baseArgs) = Args.Command(server, "--sandbox");
        foreach (var toolset in new[] { "all" }.Concat(ToolCatalog.Toolsets.Keys))
        {
            var all = Tools(await Startup.ToolsListLine(command, [.. baseArgs, "--toolsets", toolset]));
            var typed = all.Where(t => ToolCatalog.Find(Name(t)) is not null).ToList();
            if (toolset == "docs")
            {
                Row("stripe-mcp --toolsets docs: search_stripe_documentation", all);
                continue;
            }
            Row($"stripe-mcp --toolsets {toolset}: typed tools", typed);
            if (toolset == "all") Row("stripe-mcp: the generic path alone (stripe_api_search, _details, _read, _write)", [.. all.Where(t => Name(t).StartsWith("stripe_api_", StringComparison.Ordinal))]);
        }
        Row("stripe-mcp --tools all --compact: every tool published (the generic path and search_stripe_documentation)",
            Tools(await Startup.ToolsListLine(command, [.. baseArgs, "--tools", "all", "--compact"])));
        await FindAndCall.RunAsync(command, baseArgs);
        return 0;

        void Row(string name, IReadOnlyList<JsonNode> tools)
        {
            var bytes = Bytes(tools);
            var per = tools.Count == 0 ? 0 : bytes / (double)tools.Count;
            Console.WriteLine($"| {name} | {tools.Count} | {bytes:N0} | {bytes / 4:N0} | {Args.F(per, "F0")} | {(name.StartsWith("@stripe", StringComparison.Ordinal) ? "1.00x" : theirs is null ? "—" : Args.F(per / perToolTheirs, "F2") + "x")} |");
        }
    }

    internal static List<JsonNode> Tools(string line) => [.. JsonNode.Parse(line)!["result"]!["tools"]!.AsArray().Select(t => t!.DeepClone())];

    private static string Name(JsonNode t) => t["name"]!.GetValue<string>();

    internal static int Bytes(IReadOnlyList<JsonNode> tools) => System.Text.Encoding.UTF8.GetByteCount(new JsonArray([.. tools.Select(t => t.DeepClone())]).ToJsonString());
}
