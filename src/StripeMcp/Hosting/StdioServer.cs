using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog;
using Serilog.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.Sandbox;
using StripeMcp.Stripe;
using StripeMcp.Tools;

namespace StripeMcp.Hosting;

/// <summary>The MCP server over stdio: registers exactly the tools the policy enables, nothing else.</summary>
public static class StdioServer
{
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken ct)
    {
        using var logger = Logging.Create(options.LogLevel);
        await using var sandbox = options.Sandbox ? await Sandbox.Sandbox.StartAsync(new SandboxOptions { Seed = true }, ct) : null;
        if (sandbox is not null) options = options with { ApiBase = sandbox.BaseUrl };
        var builder = Host.CreateEmptyApplicationBuilder(settings: null);
        using var loggerFactory = new SerilogLoggerFactory(logger);
        builder.Services.AddSerilog(logger, dispose: false);

        var enabled = ToolPolicy.Enabled(options);
        var gateway = new StripeGateway(options, loggerFactory.CreateLogger<StripeGateway>());
        using var audit = new AuditTrail(options);
        var services = new ToolServices(gateway, options, new LimitLedger(options.Limits), audit);
        builder.Services
            .AddMcpServer(o =>
            {
                o.ServerInfo = ServerInfo;
                o.ServerInstructions = Instructions(options);
                // Declared even when no tool is enabled, so clients get an empty list rather than an error.
                o.Capabilities = new ServerCapabilities { Tools = new ToolsCapability() };
            })
            .WithStdioServerTransport()
            .WithTools(enabled.Select(t => new StripeTool(t, services)));

        using var host = builder.Build();
        StartupReport.Log(loggerFactory.CreateLogger("StripeMcp"), options, enabled);
        await host.RunAsync(ct);
        return 0;
    }

    public static Implementation ServerInfo => new() { Name = "stripe-mcp", Title = "Stripe (StripeMcp)", Version = ThisAssembly.Version };

    public static string Instructions(ServerOptions o) =>
        (o.Sandbox ? "Tools for a local Stripe sandbox (test mode, demo data, nothing is real). " : "") +
        "Tools for one Stripe account" + (o.Account is null ? "" : $" (acting on behalf of connected account {o.Account})") + ". " +
        "Amounts are integers in the currency's smallest unit (1000 = $10.00 usd). Results are whole Stripe objects with null and empty fields left out. " +
        "List tools return has_more and next_starting_after: pass it as starting_after for the next page. " +
        "Failed calls return Stripe's error (type, code, decline_code, param, message, request_id): read it before retrying.";
}
