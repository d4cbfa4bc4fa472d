using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog.Extensions.Logging;
using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.Resources;
using StripeMcp.State;
using StripeMcp.Stripe;
using StripeMcp.Tools;
using StripeMcp.Mcp;
using StripeMcp.Receiver;

namespace StripeMcp.Hosting;

/// <summary>The MCP server over stdio: registers exactly the tools the policy enables, nothing else.</summary>
public static class StdioServer
{
    /// <summary>
    /// Serves until stdin closes or the process is asked to stop. No generic host: the SDK's server runs
    /// straight on the stdio transport, so nothing starts that the first answer does not need.
    /// </summary>
    public static async Task<int> RunAsync(ServerOptions options, CancellationToken ct)
    {
        StartupTrace.Mark("serve");
        var clientLog = new ClientLog();
        using var logger = Logging.Create(options.LogLevel, clientLog);
        using var shutdown = Shutdown.Listen(ct);
        await using var sandbox = options.Sandbox ? await SandboxHost.StartAsync(ct) : null;
        if (sandbox is not null) options = options with { ApiBase = sandbox.BaseUrl };
        using var loggerFactory = new SerilogLoggerFactory(logger);
        StartupTrace.Mark("logging");

        var enabled = ToolPolicy.Enabled(options);
        var gateway = new StripeGateway(options, loggerFactory.CreateLogger<StripeGateway>());
        var ledger = await StateStores.OpenLedgerAsync(options, gateway, loggerFactory.CreateLogger("StripeMcp"), ct);
        using var audit = new AuditTrail(options, logger, ledger.Store);
        var services = new ToolServices(gateway, options, ledger, audit);
        var serverOptions = new McpServerOptions
        {
            ServerInfo = ServerInfo,
            ServerInstructions = Instructions(options),
            // Declared even when no tool is enabled, so clients get an empty list rather than an error.
            Capabilities = new ServerCapabilities { Tools = new ToolsCapability() },
        };
        var tools = Composition.Tools(services, receiving: false); // no receiver can listen on stdio
        PublishedTools.Install(serverOptions, tools, audit, caller: null);
        // No receiver can listen on stdio: new events are noticed by polling Stripe, while a client is subscribed.
        await using var feed = EventFeed.Polling(gateway, options.Account, options.Sandbox, loggerFactory.CreateLogger("StripeMcp.Events"));
        var resources = new StripeResources(tools, services);
        PublishedResources.Install(serverOptions, resources, feed, overHttp: false);
        Completions.Install(serverOptions, resources, Prompts.PublishedPrompts.Install(serverOptions, tools));
        serverOptions.Filters.Message.OutgoingFilters.Add(Capabilities.AsSent(logging: true, sessions: true));
        NoTasks.Install(serverOptions);

        StartupTrace.Mark("tools");
        await using var transport = new StdioTransport(Console.OpenStandardInput(), new BufferedStream(Console.OpenStandardOutput()), loggerFactory, shutdown.Requested);
        StartupTrace.Mark("transport");
        await using var server = McpServer.Create(transport, serverOptions, loggerFactory);
        clientLog.Attach(server);
        StartupTrace.Mark("server created");
        StartupReport.Log(loggerFactory.CreateLogger("StripeMcp"), options, enabled, sandbox);
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

    public static Implementation ServerInfo => new() { Name = "stripe-mcp", Title = "Stripe (StripeMcp)", Version = ThisAssembly.Version };

    private static string AccountsSentence(ServerOptions o) => o.AccountAllowList is { } allowed
        ? $"Tools for a Stripe platform and its connected accounts: tools that take an `account` argument act on behalf of {(allowed.Contains("*") ? "any connected account" : string.Join(", ", allowed.Order(StringComparer.Ordinal).Take(20)) + (allowed.Count > 20 ? $" and {allowed.Count - 20} more" : ""))} named there; without it, they act {(o.Account is null ? "on the platform account itself" : $"on behalf of {o.Account}")}. "
        : "Tools for one Stripe account" + (o.Account is null ? "" : $" (acting on behalf of connected account {o.Account})") + ". ";

    /// <summary>What holds for every tool, said once here rather than in each tool's description and schema.</summary>
    public static string Instructions(ServerOptions o) =>
        (o.Sandbox ? "Tools for a local Stripe sandbox (test mode, demo data, nothing is real). " : "") +
        AccountsSentence(o) +
        "Amounts are integers in the currency's smallest unit (1000 = $10.00 usd; 1000 = ¥1000 jpy); currencies are lowercase ISO codes (usd). " +
        "An id argument's pattern is its prefix (^cus_: a customer id cus_...). Arguments are checked before anything is sent; a refusal names each argument and its rule (lengths, id form). " +
        "Results are whole Stripe objects with null and empty fields left out. " +
        "List tools: newest first; limit 1-100 (default 10); when has_more is true, pass next_starting_after as starting_after for the next page (ending_before: a page's first id, for the page before). " +
        "Search tools: results may lag writes by a few seconds; when has_more is true, pass next_page as page. Query language: field:\"value\" (exact), field~\"text\" (contains, 3+ characters), numbers with > < >= <=, metadata['key']:'value', a leading - negates; join clauses with AND or OR (not both). " +
        "metadata: your own string key-value pairs on the object (e.g. an order id): up to 50 keys of up to 40 characters, values up to 500; an update merges keys, and \"\" removes one. " +
        "Failed calls return Stripe's error (type, code, decline_code, param, message, request_id): read it before retrying. " +
        "Tools that create or change take idempotency_key (e.g. a UUID): Stripe applies a key with the same arguments once and answers a retry with the first result (marked as a replay); the same key with other arguments is refused. After a timeout or a dry run, retry with the key the answer gives.";
}
