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
        var calls = Args.Int(args, "--calls", 1000);
        await using var sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync(new StripeMcp.Sandbox.SandboxOptions { Seed = true });
        for (var i = 0; i < 20; i++) sandbox.Execute("POST", "/v1/customers", $"name=Bench%20{i}&email=bench{i}%40example.com&phone=%2B15555550{i:D3}&metadata[segment]=b");

        var (command, arguments) = Args.Command(server, "--tools", "customers.read,customers.create", "--api-key", "sk_test_bench", "--stripe-api-base", sandbox.BaseUrl, "--log-level", "warning");
        var psi = new ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        psi.Environment["STRIPE_SECRET_KEY"] = "";
        psi.Environment["STRIPE_MCP_CONFIG"] = "";
        using var process = Process.Start(psi)!;
        _ = DrainAsync(process.StandardError);
        await using var mcp = await McpClient.CreateAsync(new ModelContextProtocol.Protocol.StreamClientTransport(process.StandardInput.BaseStream, process.StandardOutput.BaseStream));

        var client = new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_test_bench", ApiBase = sandbox.BaseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        });
        var customers = new CustomerService(client);
        var list = new Dictionary<string, object?> { ["limit"] = 10 };

        var mcpList = await Time(calls, async _ => Ok(await mcp.CallToolAsync("list_customers", list)));
        var directList = await Time(calls, _ => customers.ListAsync(new CustomerListOptions { Limit = 10 }));
        var mcpCreate = await Time(calls, async i => Ok(await mcp.CallToolAsync("create_customer", new Dictionary<string, object?> { ["email"] = $"m{i}@example.com" })));
        var directCreate = await Time(calls, i => customers.CreateAsync(new CustomerCreateOptions { Email = $"d{i}@example.com" }));
        await Task.Delay(500);
        var rss = Args.RssMiB(process.Id);

        // Bytes: what the agent gets for a page of 10 customers, versus Stripe's JSON for the same page.
        var raw = (await client.RawRequestAsync(HttpMethod.Get, "/v1/customers?limit=10", null, null)).Content;
        var result = await mcp.CallToolAsync("list_customers", list);
        var text = string.Concat(result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(t => t.Text));
        var lost = Lost(JsonDocument.Parse(raw).RootElement, JsonDocument.Parse(text).RootElement, "$").ToList();

        Console.WriteLine($"Tool calls ({calls} sequential calls each, one client; stdio to a separate stripe-mcp process; sandbox in the benchmark process):");
        Console.WriteLine();
        Console.WriteLine("| call | MCP p50 ms | MCP p95 ms | Stripe.net direct p50 ms | direct p95 ms | overhead at p50 |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Row("list_customers (limit 10)", mcpList, directList);
        Row("create_customer", mcpCreate, directCreate);
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---|");
        Console.WriteLine($"| stripe-mcp RSS after {2 * calls + 1} calls | {Args.F(rss)} MiB |");
        Console.WriteLine($"| list result (10 customers) | {Encoding.UTF8.GetByteCount(text):N0} bytes vs Stripe's {Encoding.UTF8.GetByteCount(raw):N0} bytes = {Args.F((double)Encoding.UTF8.GetByteCount(text) / Encoding.UTF8.GetByteCount(raw), "F2")}x (target <= 0.60x) |");
        Console.WriteLine($"| non-null fields lost | {lost.Count}{(lost.Count == 0 ? "" : ": " + string.Join(", ", lost.Take(5)))} |");
        Console.WriteLine();

        process.StandardInput.Close();
        if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
        return lost.Count == 0 ? 0 : 1;
    }

    private static void Row(string name, double[] mcp, double[] direct)
    {
        double p50 = Args.Percentile(mcp, 0.5), d50 = Args.Percentile(direct, 0.5);
        Console.WriteLine($"| {name} | {Args.F(p50, "F2")} | {Args.F(Args.Percentile(mcp, 0.95), "F2")} | {Args.F(d50, "F2")} | {Args.F(Args.Percentile(direct, 0.95), "F2")} | {Args.F(p50 - d50, "F2")} ms (target <= 0.30 ms) |");
    }

    private static void Ok(ModelContextProtocol.Protocol.CallToolResult r)
    {
        if (r.IsError == true) throw new InvalidOperationException("tool error: " + JsonSerializer.Serialize(r.Content));
    }

    private static async Task<double[]> Time(int n, Func<int, Task> call)
    {
        for (var i = 0; i < Math.Min(100, n); i++) await call(-1 - i); // warm-up, not counted
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
