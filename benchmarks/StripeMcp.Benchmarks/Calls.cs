using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ModelContextProtocol.Client;
using Stripe;

namespace StripeMcp.Benchmarks;

/// <summary>
/// `calls`: one MCP client over stdio calling stripe-mcp (a separate process, as a desktop client runs it)
/// against the sandbox, versus the same calls straight through Stripe.net against the same sandbox (the
/// floor); then the server's resident memory after those calls, and a list result's bytes versus
/// Stripe's raw JSON (with every non-null field of the raw JSON checked to be there).
/// </summary>
internal static class Calls
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = Args.Str(args, "--server");
        var reference = Args.All(args, "--reference").FirstOrDefault();
        var calls = Args.Int(args, "--calls", 1000);
        Warmup = Args.Int(args, "--warmup", 3000);
        await using var sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync(new StripeMcp.Sandbox.SandboxOptions { Seed = true });
        for (var i = 0; i < 20; i++) sandbox.Execute("POST", "/v1/customers", $"name=Bench%20{i}&email=bench{i}%40example.com&phone=%2B15555550{i:D3}&metadata[segment]=b");

        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_test_bench", ApiBase = sandbox.BaseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        });
        var customers = new CustomerService(client);
        var directList = await Time(calls, _ => customers.ListAsync(new CustomerListOptions { Limit = 10 }));
        var directCreate = await Time(calls, i => customers.CreateAsync(new CustomerCreateOptions { Name = "Bench", Email = $"d{i}@example.com" }));

        var (command, arguments) = Args.Command(server, "--tools", "all", "--api-key", "sk_test_bench", "--stripe-api-base", sandbox.BaseUrl, "--log-level", "warning");
        await using var ours = await Drive(command, arguments, Args.ServerEnv(args), calls);
        // Stripe's own server, making the same calls against the same sandbox (the preload points its Stripe client there).
        await using var theirs = reference is null ? null : await Drive("node",
            ["--require", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(reference))!, "../../../../point-at-sandbox.cjs"), reference, "--tools=all", "--api-key=sk_test_bench"],
            new() { ["STRIPE_MCP_BENCH_API_BASE"] = sandbox.BaseUrl }, calls);

        // Bytes: what the agent gets for a page of 10 customers, versus Stripe's JSON for the same page.
        var raw = (await client.RawRequestAsync(HttpMethod.Get, "/v1/customers?limit=10", null, null)).Content;
        var result = await ours.Client.CallToolAsync("list_customers", new Dictionary<string, object?> { ["limit"] = 10 });
        var text = string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));
        var lost = Lost(JsonDocument.Parse(raw).RootElement, JsonDocument.Parse(text).RootElement, "$").ToList();

        Console.WriteLine($"Tool calls ({calls} sequential calls each after {Warmup:N0} warm-up calls, one client over stdio to the server's own process; sandbox in the benchmark process; p50 / p95 ms):");
        Console.WriteLine();
        Console.WriteLine("| call | Stripe.net direct | stripe-mcp | stripe-mcp overhead at p50 | @stripe/mcp 0.2.5 |");
        Console.WriteLine("|---|---|---|---|---|");
        Row("list_customers (limit 10)", directList, ours.List, theirs?.List);
        Row("create_customer", directCreate, ours.Create, theirs?.Create);
        Console.WriteLine();
        Console.WriteLine("| measure | stripe-mcp | @stripe/mcp 0.2.5 | ratio |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| RSS MiB after {2 * (Warmup + calls):N0} calls | {Args.F(ours.RssMiB)} | {(theirs is null ? "-" : Args.F(theirs.RssMiB))} | {(theirs is null ? "-" : Args.F(ours.RssMiB / theirs.RssMiB, "F2") + "x (target <= 0.70x)")} |");
        Console.WriteLine($"| list result bytes (10 customers) vs Stripe's {Encoding.UTF8.GetByteCount(raw):N0} | {Encoding.UTF8.GetByteCount(text):N0} = {Args.F((double)Encoding.UTF8.GetByteCount(text) / Encoding.UTF8.GetByteCount(raw), "F2")}x (target <= 0.60x) | ids only | |");
        Console.WriteLine($"| non-null fields lost | {lost.Count}{(lost.Count == 0 ? "" : ": " + string.Join(", ", lost.Take(5)))} | all but id | |");
        Console.WriteLine();
        return lost.Count == 0 ? 0 : 1;
    }

    private static void Row(string name, double[] direct, double[] ours, double[]? theirs)
    {
        string P(double[] t) => $"{Args.F(Args.Percentile(t, 0.5), "F2")} / {Args.F(Args.Percentile(t, 0.95), "F2")}";
        var overhead = Args.Percentile(ours, 0.5) - Args.Percentile(direct, 0.5);
        Console.WriteLine($"| {name} | {P(direct)} | {P(ours)} | {Args.F(overhead, "F2")} ms (target <= 0.30 ms) | {(theirs is null ? "-" : P(theirs))} |");
    }

    private sealed class Driven(Process process, McpClient client, double[] list, double[] create, double rss) : IAsyncDisposable
    {
        public McpClient Client => client;
        public double[] List => list;
        public double[] Create => create;
        public double RssMiB => rss;

        public async ValueTask DisposeAsync()
        {
            await client.DisposeAsync();
            process.StandardInput.Close();
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
            process.Dispose();
        }
    }

    /// <summary>Starts a server, makes the list and create calls through the MCP SDK's client, and reads its RSS after them.</summary>
    private static async Task<Driven> Drive(string command, string[] arguments, Dictionary<string, string> env, int calls)
    {
        var process = Args.StartServer(command, arguments, env);
        _ = DrainAsync(process.StandardError);
        var mcp = await McpClient.CreateAsync(new ModelContextProtocol.Protocol.StreamClientTransport(process.StandardInput.BaseStream, process.StandardOutput.BaseStream));
        var list = new Dictionary<string, object?> { ["limit"] = 10 };
        var listTimes = await Time(calls, async _ => Ok(await mcp.CallToolAsync("list_customers", list)));
        var createTimes = await Time(calls, async i => Ok(await mcp.CallToolAsync("create_customer", new Dictionary<string, object?> { ["name"] = "Bench", ["email"] = $"m{i + 100}@example.com" })));
        await Task.Delay(500);
        return new Driven(process, mcp, listTimes, createTimes, Args.RssMiB(process.Id));
    }

    /// <summary>A call that failed throws (@stripe/mcp reports failures as a text saying so, not as an error).</summary>
    private static void Ok(ModelContextProtocol.Protocol.CallToolResult r)
    {
        var text = string.Concat(r.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));
        if (r.IsError == true || !text.Contains("cus_", StringComparison.Ordinal)) throw new InvalidOperationException("tool error: " + text);
    }

    /// <summary>Calls before timing, so that both sides (our client and the server) run steady-state code.</summary>
    private static int Warmup = 100;

    private static async Task<double[]> Time(int n, Func<int, Task> call)
    {
        for (var i = 0; i < Warmup; i++) await call(-1 - i); // warm-up, not counted
        var times = new double[n];
        for (var i = 0; i < n; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await call(i);
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        Array.Sort(times);
        return times;
    }

    /// <summary>Every non-null, non-empty leaf of Stripe's JSON must be in the compacted result, with the same value.</summary>
    private static IEnumerable<string> Lost(JsonElement raw, JsonElement shaped, string path)
    {
        switch (raw.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in raw.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Null) continue;
                    if (!shaped.TryGetProperty(p.Name, out var s))
                    {
                        if (!IsEmpty(p.Value)) yield return $"{path}.{p.Name}";
                        continue;
                    }
                    foreach (var l in Lost(p.Value, s, $"{path}.{p.Name}")) yield return l;
                }
                break;
            case JsonValueKind.Array:
                var shapedItems = shaped.EnumerateArray().ToList();
                var rawItems = raw.EnumerateArray().Where(i => !IsEmpty(i)).ToList();
                for (var i = 0; i < rawItems.Count; i++)
                    if (i >= shapedItems.Count) yield return $"{path}[{i}]";
                    else foreach (var l in Lost(rawItems[i], shapedItems[i], $"{path}[{i}]")) yield return l;
                break;
            default:
                if (raw.GetRawText() != shaped.GetRawText()) yield return $"{path} (value differs)";
                break;
        }
    }

    private static bool IsEmpty(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null => true,
        JsonValueKind.Object => e.EnumerateObject().All(p => IsEmpty(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().All(IsEmpty),
        _ => false,
    };

    private static async Task DrainAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null) { }
    }
}
