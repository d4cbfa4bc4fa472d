using System.Diagnostics;
using System.Globalization;
using ModelContextProtocol.Client;
using Stripe;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Sandbox;

namespace StripeMcp.Benchmarks;

/// <summary>
/// `load`: N concurrent MCP clients over Streamable HTTP against the sandbox, side by side with the same
/// call made directly through Stripe.net against the same sandbox, in one run.
/// </summary>
internal static class Load
{
    public static async Task<int> RunAsync(string[] args)
    {
        // Load benchmark: N concurrent MCP clients over Streamable HTTP against the sandbox, side by side with
        // the same call made directly through Stripe.net against the same sandbox, in one run.
        //   dotnet run -c Release --project benchmarks/StripeMcp.Benchmarks -- [--clients 32] [--seconds 10] [--warmup 3]
        var clients = Args.Int(args, "--clients", 32);
        var seconds = Args.Int(args, "--seconds", 10);
        var warmup = Args.Int(args, "--warmup", 3);
        var stateful = args.Contains("--stateful");

        await using var sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync(new SandboxOptions { Seed = true });
        var config = Path.Combine(Path.GetTempPath(), $"stripe-mcp-bench-{Guid.NewGuid():N}.json");
        System.IO.File.WriteAllText(config, """{ "http": { "rateLimitPerMinute": 100000000 } }""");
        var loaded = OptionsLoader.Load(new CommandLineInputs
        {
            Config = config, Http = true, Port = 0, Stateful = stateful, ApiKey = "sk_test_bench", StripeApiBase = sandbox.BaseUrl, Tools = "customers.read", LogLevel = "warning",
        }, _ => null);
        if (!loaded.Ok) throw new InvalidOperationException(string.Join("\n", loaded.Problems));
        // --server PATH: the shipped build in its own process (as deployed); without it, in this process.
        var serverPath = Args.All(args, "--server").FirstOrDefault();
        await using var app = serverPath is null ? StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Warning, Console.Error)) : null;
        var port = 0;
        using var process = serverPath is null ? null : StartServer(args, serverPath, config, sandbox.BaseUrl, stateful, out port);
        Uri mcpUrl;
        if (app is not null)
        {
            await app.StartAsync();
            mcpUrl = new Uri(app.Urls.First() + "/mcp");
        }
        else mcpUrl = await WaitReady(port);

        var direct = new StripeClient(new StripeClientOptions
        {
            ApiKey = "sk_test_bench", ApiBase = sandbox.BaseUrl,
            HttpClient = new SystemNetHttpClient(new HttpClient(), maxNetworkRetries: 0, appInfo: null, enableTelemetry: false),
        });
        var customers = new CustomerService(direct);
        var listOptions = new CustomerListOptions { Limit = 3 };
        var mcpClients = new List<McpClient>();
        for (var i = 0; i < clients; i++)
            mcpClients.Add(await McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions { Endpoint = mcpUrl, TransportMode = HttpTransportMode.StreamableHttp })));
        var args3 = new Dictionary<string, object?> { ["limit"] = 3 };

        Console.WriteLine($"Load: {clients} concurrent clients, {seconds} s each (after {warmup} s warm-up), list_customers limit=3, sandbox in the benchmark process, {(stateful ? "stateful" : "stateless")} HTTP, stripe-mcp {(process is null ? "in the benchmark process" : "as its own process (" + Path.GetFileName(serverPath) + ")")}");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine();

        var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
        var directResult = only == "mcp" ? new Result("Stripe.net direct", 0, double.NaN, 0, 0, 0) : await Measure("Stripe.net direct", i => customers.ListAsync(listOptions));
        // Our own layer without the MCP transport: the gateway's Stripe call plus result shaping, as a tool call does it.
        var gateway = new StripeMcp.Stripe.StripeGateway(loaded.Options with { MaxNetworkRetries = 0 }, Microsoft.Extensions.Logging.Abstractions.NullLogger<StripeMcp.Stripe.StripeGateway>.Instance);
        var gatewayResult = only is "direct" or "mcp" ? new Result("Gateway + shaping (no MCP)", 0, double.NaN, 0, 0, 0) : await Measure("Gateway + shaping (no MCP)", async i =>
        {
            var outcome = await gateway.SendAsync(new StripeMcp.Stripe.StripeRequest("list_customers", HttpMethod.Get, "/v1/customers", "/v1/customers", "limit=3", null, null), CancellationToken.None);
            if (!outcome.Ok) throw new InvalidOperationException(outcome.Json);
            StripeMcp.Stripe.ResultShaper.Shape(outcome.Body);
        });
        var mcpResult = only == "direct" ? new Result("MCP over HTTP", 0, double.NaN, 0, 0, 0) : await Measure("MCP over HTTP", async i =>
        {
            var r = await mcpClients[i].CallToolAsync("list_customers", args3);
            if (r.IsError == true) throw new InvalidOperationException("tool error");
        });

        Console.WriteLine($"| path | clients | calls | calls/s | p50 ms | p99 ms | errors | CPU µs/call (benchmark + server processes) |");
        Console.WriteLine($"|---|---|---|---|---|---|---|---|");
        foreach (var r in new[] { directResult, gatewayResult, mcpResult })
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Name} | {clients} | {r.Calls} | {r.PerSecond:F0} | {r.P50:F2} | {r.P99:F2} | {r.Errors} | {r.CpuMicrosPerCall:F0} |"));
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Throughput ratio MCP/direct: {mcpResult.PerSecond / directResult.PerSecond:F2}x (target >= 0.70x with 0 errors)"));
        foreach (var c in mcpClients) await c.DisposeAsync();
        if (process is not null) { process.Kill(entireProcessTree: true); await process.WaitForExitAsync(); }
        return 0;

        async Task<Result> Measure(string name, Func<int, Task> call)
        {
            await RunFor(TimeSpan.FromSeconds(warmup), call, null);
            var latencies = new List<double>[clients];
            for (var i = 0; i < clients; i++) latencies[i] = new List<double>(4096);
            var cpuBefore = Cpu();
            var watch = Stopwatch.StartNew();
            var errors = await RunFor(TimeSpan.FromSeconds(seconds), call, latencies);
            var elapsed = watch.Elapsed.TotalSeconds;
            var cpu = (Cpu() - cpuBefore).TotalMicroseconds;
            var all = latencies.SelectMany(l => l).Order().ToArray();
            return new Result(name, all.Length, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), errors, cpu / Math.Max(1, all.Length));
        }

        async Task<int> RunFor(TimeSpan duration, Func<int, Task> call, List<double>[]? latencies)
        {
            var errors = 0;
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(async () =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    var start = Stopwatch.GetTimestamp();
                    try
                    {
                        await call(i);
                        latencies?[i].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    }
                    catch { Interlocked.Increment(ref errors); }
                }
            })));
            return errors;
        }

        // CPU of the benchmark process plus, when it runs apart, the server's.
        TimeSpan Cpu()
        {
            process?.Refresh();
            return Process.GetCurrentProcess().TotalProcessorTime + (process?.TotalProcessorTime ?? TimeSpan.Zero);
        }

        double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }

    private static Process StartServer(string[] args, string path, string config, string apiBase, bool stateful, out int port)
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var (command, arguments) = Args.Command(path, ["--http", "--port", port.ToString(CultureInfo.InvariantCulture), "--config", config, "--tools", "customers.read",
            "--api-key", "sk_test_bench", "--stripe-api-base", apiBase, "--log-level", "warning", .. (stateful ? new[] { "--stateful" } : [])]);
        var process = Args.StartServer(command, arguments, Args.ServerEnv(args));
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task<Uri> WaitReady(int port)
    {
        using var http = new HttpClient();
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/healthz")).IsSuccessStatusCode) return new Uri($"http://127.0.0.1:{port}/mcp");
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new InvalidOperationException("the server did not start");
    }
}

internal sealed record Result(string Name, int Calls, double PerSecond, double P50, double P99, int Errors, double CpuMicrosPerCall = double.NaN);
