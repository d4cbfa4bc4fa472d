using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Client;
using StripeMcp.Amounts;
using StripeMcp.Policy;
using StripeMcp.Sandbox;
using StripeMcp.State;
using StripeMcp.Tools;

namespace StripeMcp.Benchmarks;

/// <summary>
/// `ledger`: what the state store adds to a call that counts against a rolling total (limits' maxTotal).
/// Part 1, in process: one reservation and its settlement (what a limited call adds), memory vs SQLite vs
/// PostgreSQL, one caller and 32 at once. Part 2, as deployed: two server processes over Streamable HTTP,
/// 32 clients split between them, create_payment_intent with no limit vs a maxTotal kept in a shared
/// SQLite file vs in PostgreSQL, in one run.
///   ledger --server PATH [--postgres CONNECTION] [--ops 2000] [--seconds 10] [--warmup 3] [--clients 32]
/// </summary>
internal static class Ledger
{
    public static async Task<int> RunAsync(string[] args)
    {
        var server = Args.Str(args, "--server");
        var postgres = Args.All(args, "--postgres").FirstOrDefault();
        var ops = Args.Int(args, "--ops", 2000);
        var seconds = Args.Int(args, "--seconds", 10);
        var warmup = Args.Int(args, "--warmup", 3);
        var clients = Args.Int(args, "--clients", 32);
        var dir = Path.Combine(Path.GetTempPath(), $"stripe-mcp-bench-ledger-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);

        Console.WriteLine($"Ledger: one reservation + settlement ({ops} each, sequential, then 32 callers at once), then {clients} MCP clients over Streamable HTTP to two server processes for {seconds} s each (after {warmup} s warm-up)");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine();

        var stores = new List<(string Name, Func<Task<IStateStore>> Open)>
        {
            ("memory (--sandbox)", () => Task.FromResult<IStateStore>(new MemoryStateStore(TimeSpan.FromDays(1)))),
            ("SQLite file", async () => await SqliteStateStore.OpenAsync(Path.Combine(dir, $"{Guid.NewGuid():N}.db"), CancellationToken.None)),
        };
        if (postgres is not null) stores.Add(("PostgreSQL (loopback)", async () => await PostgresStateStore.OpenAsync(postgres, "--postgres", CancellationToken.None)));

        Console.WriteLine("| store | sequential µs per limited call (p50) | p99 | 32 callers at once: reservations/s |");
        Console.WriteLine("|---|---|---|---|");
        var refund = ToolCatalog.Find("create_refund")!;
        foreach (var (name, open) in stores)
        {
            await using var store = await open();
            // Each run its own scope, far under its cap: every reservation is accepted and written.
            var ledger = new LimitLedger(new LimitSettings
            {
                Rules = [new LimitRule("refunds", new Dictionary<string, long>(), new Dictionary<string, long> { ["usd"] = long.MaxValue / 4 }, TimeSpan.FromHours(24), null)],
            }, store, (account, _) => Task.FromResult($"bench-{Guid.NewGuid():N}/platform"));
            async Task One()
            {
                var (violation, reservation) = await ledger.CheckAsync(refund, new Money(100, "usd"), null, reserve: true, CancellationToken.None);
                if (violation is not null) throw new InvalidOperationException(violation.Message);
                await reservation.SettleAsync(CancellationToken.None);
            }
            for (var i = 0; i < 100; i++) await One();
            var times = new double[ops];
            for (var i = 0; i < ops; i++)
            {
                var start = Stopwatch.GetTimestamp();
                await One();
                times[i] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
            }
            Array.Sort(times);
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => { for (var i = 0; i < ops / 32; i++) await One(); })));
            var perSecond = ops / 32 * 32 / watch.Elapsed.TotalSeconds;
            Console.WriteLine($"| {name} | {Args.F(Args.Percentile(times, 0.5), "F0")} | {Args.F(Args.Percentile(times, 0.99), "F0")} | {Args.F(perSecond, "F0")} |");
        }
        Console.WriteLine();

        await using var sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync(new SandboxOptions());
        var setups = new List<(string Name, string Config, Dictionary<string, string> Env)>
        {
            ("no limit (no state store use)", """{ "actions": { "paymentIntents": { "create": true } }, "http": { "rateLimitPerMinute": 100000000 } }""", new()),
            ("maxTotal, shared SQLite file", Limited(Path.Combine(dir, "shared.db")), new()),
        };
        if (postgres is not null) setups.Add(("maxTotal, PostgreSQL", Limited(null), new() { ["STRIPE_MCP_POSTGRES"] = postgres }));

        Console.WriteLine($"| create_payment_intent, 2 instances | clients | calls | calls/s | p50 ms | p99 ms | errors | vs no limit |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|");
        double? baseline = null;
        foreach (var (name, config, env) in setups)
        {
            var configPath = Path.Combine(dir, $"{Guid.NewGuid():N}.json");
            await File.WriteAllTextAsync(configPath, config);
            var processes = new List<Process>();
            var urls = new List<Uri>();
            for (var i = 0; i < 2; i++)
            {
                var (p, url) = await Start(server, configPath, sandbox.BaseUrl, env, Path.Combine(dir, $"xdg-{Guid.NewGuid():N}"));
                processes.Add(p);
                urls.Add(url);
            }
            var mcp = new List<McpClient>();
            for (var i = 0; i < clients; i++)
                mcp.Add(await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = urls[i % 2], TransportMode = HttpTransportMode.StreamableHttp })));
            var call = new Dictionary<string, object?> { ["amount"] = 100, ["currency"] = "usd" };
            await RunFor(TimeSpan.FromSeconds(warmup), null);
            var latencies = Enumerable.Range(0, clients).Select(_ => new List<double>(4096)).ToArray();
            var watch = Stopwatch.StartNew();
            var errors = await RunFor(TimeSpan.FromSeconds(seconds), latencies);
            var all = latencies.SelectMany(l => l).Order().ToArray();
            var rate = all.Length / watch.Elapsed.TotalSeconds;
            baseline ??= rate;
            Console.WriteLine($"| {name} | {clients} | {all.Length} | {Args.F(rate, "F0")} | {Args.F(Args.Percentile(all, 0.5), "F2")} | {Args.F(Args.Percentile(all, 0.99), "F2")} | {errors} | {Args.F(rate / baseline.Value, "F2")}x |");
            foreach (var c in mcp) await c.DisposeAsync();
            foreach (var p in processes) { p.Kill(entireProcessTree: true); await p.WaitForExitAsync(); }

            async Task<int> RunFor(TimeSpan duration, List<double>[]? into)
            {
                var failed = 0;
                var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
                await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
                {
                    while (Stopwatch.GetTimestamp() < until)
                    {
                        var start = Stopwatch.GetTimestamp();
                        try
                        {
                            if ((await mcp[i].CallToolAsync("create_payment_intent", call)).IsError == true) throw new InvalidOperationException("tool error");
                            into?[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        }
                        catch { Interlocked.Increment(ref failed); }
                    }
                })));
                return failed;
            }
        }
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        return 0;
    }

    /// <summary>A cap no run reaches: every call is reserved and settled in the store, none refused.</summary>
    private static string Limited(string? sqlite) =>
        $$"""
        { "actions": { "paymentIntents": { "create": true } }, "http": { "rateLimitPerMinute": 100000000 },
          "limits": { "paymentIntents": { "maxTotal": { "usd": 1000000000000 }, "window": "24h" } }{{(sqlite is null ? "" : $$""", "state": { "path": "{{sqlite}}" }""")}} }
        """;

    private static async Task<(Process, Uri)> Start(string server, string config, string apiBase, Dictionary<string, string> env, string stateHome)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (command, arguments) = Args.Command(server, ["--http", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", config,
            "--api-key", "sk_test_bench", "--stripe-api-base", apiBase, "--log-level", "warning"]);
        var p = Args.StartServer(command, arguments, new Dictionary<string, string>(env) { ["XDG_STATE_HOME"] = stateHome });
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        using var http = new HttpClient();
        for (var i = 0; i < 150; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode) return (p, new Uri($"http://127.0.0.1:{port}/mcp"));
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the server did not start");
    }
}
