using StripeMcp.Hosting;
using StripeMcp.Sandbox;

namespace StripeMcp.Cli;

/// <summary>`stripe-mcp sandbox`: the Stripe stand-in alone, until Ctrl+C.</summary>
internal static class SandboxCommand
{
    public static async Task<int> RunAsync(int port, bool seed, string? faults, string? rate, string? kinds, int? stallMs, CancellationToken ct)
    {
        var faultOptions = new FaultOptions();
        try
        {
            if (faults is not null) faultOptions.Script([.. FaultOptions.ParseList(faults)]);
            if (rate is not null) faultOptions.Rate = FaultOptions.ParseRate(rate);
            if (kinds is not null) faultOptions.Kinds = FaultOptions.ParseList(kinds);
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"stripe-mcp sandbox: {e.Message}");
            return CliApp.ConfigError;
        }
        if (stallMs is { } ms) faultOptions.Stall = TimeSpan.FromMilliseconds(ms);
        if (port is < 0 or > 65535)
        {
            Console.Error.WriteLine($"stripe-mcp sandbox: --port must be from 0 to 65535, got {port}");
            return CliApp.ConfigError;
        }

        using var shutdown = Shutdown.Listen(ct);
        Sandbox.Sandbox sandbox;
        try
        {
            sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Port = port, Seed = seed, Faults = faultOptions }, shutdown.Requested);
        }
        catch (IOException e) when (PortInUse.Is(e))
        {
            Console.Error.WriteLine($"stripe-mcp sandbox: {PortInUse.Message("127.0.0.1", port)}");
            return CliApp.ConfigError;
        }
        await using (sandbox) // stopping lets requests in flight finish
        {
            Console.Error.WriteLine($"Stripe sandbox listening on {sandbox.BaseUrl} (API {Sandbox.Sandbox.ApiVersion}; any sk_test_/rk_test_ key){(seed ? ", demo data loaded" : "")}. Ctrl+C stops it.");
            Console.Out.WriteLine(sandbox.BaseUrl);
            try { await Task.Delay(Timeout.Infinite, shutdown.Requested); }
            catch (OperationCanceledException) { }
        }
        return 0;
    }
}
