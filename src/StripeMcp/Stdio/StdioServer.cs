using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.Resources;
using StripeMcp.Stripe;
using StripeMcp.Hosting;
using StripeMcp.Pipeline;

namespace StripeMcp.Stdio;

/// <summary>The MCP server over stdio: registers exactly the tools the policy enables, nothing else.</summary>
internal static class StdioServer
{
    /// <summary>
    /// Serves until stdin closes or the process is asked to stop. No generic host: the SDK's server runs
    /// straight on the stdio transport, so nothing starts that the first answer does not need.
    /// </summary>
    public static async Task<int> RunAsync(ServerOptions options, ProcessIo io, CancellationToken ct)
    {
        StartupTrace.Mark("serve");
        var clientLog = new ClientLog();
        using var logger = Logging.Create(options.LogLevel, io.Errors, clientLog);
        using var shutdown = Shutdown.Listen(ct, io.Signals);
        await using var sandbox = options.Sandbox ? await SandboxHost.StartAsync(ct) : null;
        if (sandbox is not null) options = options with { ApiBase = sandbox.BaseUrl };
        using var loggerFactory = new SerilogLoggerFactory(logger);
        StartupTrace.Mark("logging");

        var gateway = new StripeGateway(options, loggerFactory.CreateLogger<StripeGateway>());
        StartupTrace.Mark("gateway");
        var ledger = await StateStores.OpenLedgerAsync(options, gateway, loggerFactory.CreateLogger("StripeMcp"), ct);
        using var audit = new AuditTrail(options, logger, ledger.Store);
        StartupTrace.Mark("ledger");
        var services = new ToolServices(gateway, options, ledger, audit);
        var serverOptions = new McpServerOptions();
        McpComposition.Configure(serverOptions, options, logging: true, sessions: true);
        // No receiver can listen on stdio: new events are noticed by polling Stripe, while a client is subscribed.
        await using var feed = EventFeed.Polling(gateway, options.Account, options.Sandbox, loggerFactory.CreateLogger("StripeMcp.Events"));
        StartupTrace.Mark("configured");
        var caller = McpCaller.For(services, receiving: false);
        StartupTrace.Mark("caller");
        McpComposition.Install(serverOptions, caller, feed, audit, name: null, overHttp: false);

        StartupTrace.Mark("tools");
        await using var transport = new StdioTransport(io.Input(), new BufferedStream(io.Output()), loggerFactory, shutdown.Requested);
        StartupTrace.Mark("transport");
        await using var server = McpServer.Create(transport, serverOptions, loggerFactory);
        clientLog.Attach(server);
        StartupTrace.Mark("server created");
        StartupReport.Log(loggerFactory.CreateLogger("StripeMcp"), options, caller.Tools, sandbox);
        StartupTrace.Mark("server ready");
        // Stdin's end or a stop ends the reading; the calls in flight then finish (after a stop, within Shutdown.Grace).
        var deadline = new CancellationTokenSource();
        using var grace = shutdown.Requested.Register(() => deadline.CancelAfter(Shutdown.Grace));
        try
        {
            await server.RunAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
        }
        return 0;
    }
}
