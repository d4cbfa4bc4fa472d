using System.Globalization;
using StripeMcp.Benchmarks;

// Benchmarks, printed as markdown tables (docs/benchmarks.md). One command runs them all: benchmarks/run.sh.
//   startup --server "label=PATH" [--server ...] --reference PATH/@stripe/mcp/dist/index.js [--runs 10]
//   calls   --server PATH [--calls 1000]
// A server PATH is the stripe-mcp executable (an installed tool, the Docker build) or a stripe-mcp.dll.
//   load    [--clients 32] [--seconds 10] [--warmup 3] [--stateful]
//   context --server PATH --reference PATH/@stripe/mcp/dist/index.js
//   ledger  --server PATH [--postgres CONNECTION] [--ops 2000] [--seconds 10] [--clients 32]
//   footprint --server PATH --reference PATH/@stripe/mcp/dist/index.js [--runs 7] [--calls 2000] [--guard]
return args.FirstOrDefault() switch
{
    "startup" => await Startup.RunAsync(args),
    "calls" => await Calls.RunAsync(args),
    "load" => await Load.RunAsync(args),
    "ledger" => await Ledger.RunAsync(args),
    "context" => await Context.RunAsync(args),
    "footprint" => await Footprint.RunAsync(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: StripeMcp.Benchmarks startup|calls|load|ledger|context|footprint [options]; see benchmarks/run.sh");
    return 2;
}

namespace StripeMcp.Benchmarks
{
    internal static class Args
    {
        public static int Int(string[] args, string name, int fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
        }

        public static string Str(string[] args, string name) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} is required");

        public static IEnumerable<string> All(string[] args, string name)
        {
            for (var i = 0; i + 1 < args.Length; i++)
                if (args[i] == name) yield return args[i + 1];
        }

        /// <summary>How to start a server: an executable directly, a .dll through `dotnet`.</summary>
        public static (string Command, string[] Arguments) Command(string path, params string[] arguments) =>
            path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [path, .. arguments]) : (path, arguments);

        /// <summary>--server-env K=V (repeatable): runtime knobs for the server processes, to measure them.</summary>
        public static Dictionary<string, string> ServerEnv(string[] args) =>
            All(args, "--server-env").Select(kv => kv.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv[1]);

        /// <summary>
        /// A server process with its stdio redirected, started clean: no key or config from the caller's
        /// environment (every run passes its own), plus <paramref name="env"/>.
        /// </summary>
        public static System.Diagnostics.Process StartServer(string command, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? env = null)
        {
            var psi = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in arguments) psi.ArgumentList.Add(a);
            psi.Environment["STRIPE_SECRET_KEY"] = "";
            psi.Environment["STRIPE_MCP_CONFIG"] = "";
            foreach (var (k, v) in env ?? new Dictionary<string, string>()) psi.Environment[k] = v;
            return System.Diagnostics.Process.Start(psi)!;
        }

        /// <summary>The server's answer to the JSON-RPC request with this id (other lines skipped), within 30 s.</summary>
        public static async Task<string> AnswerAsync(System.Diagnostics.Process p, int id)
        {
            while (true)
            {
                var line = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("server closed stdout");
                if (line.Contains($"\"id\":{id},", StringComparison.Ordinal) || line.Contains($"\"id\":{id}}}", StringComparison.Ordinal)) return line;
            }
        }

        public static double Median(IEnumerable<double> xs) => Percentile(xs.Order().ToArray(), 0.5);

        public static double Percentile(double[] sorted, double p) =>
            sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Floor(p * sorted.Length))];

        public static double RssMiB(int pid)
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
            return double.NaN;
        }

        public static string F(double x, string format = "F1") => x.ToString(format, CultureInfo.InvariantCulture);
    }
}
