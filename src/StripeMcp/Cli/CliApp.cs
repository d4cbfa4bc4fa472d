using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tools;

namespace StripeMcp.Cli;

/// <summary>
/// stripe-mcp [serve] | tools [--json] | config validate — all three take the same options, so
/// `tools` shows exactly what `serve` would expose.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code for a configuration that does not validate: nothing starts.</summary>
    public const int ConfigError = 2;

    private static readonly Option<string?> ConfigOption = new("--config") { Description = $"Path to mcp-config.json (env {EnvVars.Config}).", HelpName = "PATH", Recursive = true };
    private static readonly Option<string?> ToolsOption = new("--tools") { Description = "Allow-list: \"all\", or comma-separated resource.action keys, e.g. customers.read,refunds.create. Replaces the config file's actions and tools.allow.", HelpName = "LIST", Recursive = true };
    private static readonly Option<string?> ToolsetsOption = new("--toolsets") { Description = "Allow-list by group: comma-separated toolsets (account, customers, catalog, payments, billing, connect, events, all). Adds to --tools; replaces the config file's allow-list.", HelpName = "LIST", Recursive = true };
    private static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = $"Stripe secret or restricted key, sk_… or rk_… (env {EnvVars.ApiKey}). Never read from the config file.", HelpName = "KEY", Recursive = true };
    private static readonly Option<string?> AccountOption = new("--stripe-account") { Description = "Connected account (acct_…) every call is made on behalf of. Overrides context.account.", HelpName = "ACCT", Recursive = true };
    private static readonly Option<string?> ApiBaseOption = new("--stripe-api-base") { Description = $"Stripe API base URL (env {EnvVars.ApiBase}); point it at a local stand-in. Default {ServerOptions.DefaultApiBase}.", HelpName = "URL", Recursive = true };
    private static readonly Option<bool> ReadOnlyOption = new("--read-only") { Description = "Enable only tools that change nothing (readOnlyHint), whatever else is allowed.", Recursive = true };
    private static readonly Option<string?> LogLevelOption = new("--log-level") { Description = "trace, debug, information (default), warning, error or critical. Logs go to stderr.", HelpName = "LEVEL", Recursive = true };
    private static readonly Option<int?> RetriesOption = new("--max-network-retries") { Description = "Automatic retries of a failed Stripe request, 0-10 (default 2); a POST keeps its idempotency key across them.", HelpName = "N", Recursive = true };
    private static readonly Option<bool> SandboxOption = new("--sandbox") { Description = "Serve against a built-in Stripe sandbox with demo data (offline, no account or key needed); every tool is enabled unless --tools or a config narrows it.", Recursive = true };
    private static readonly Option<int> PortOption = new("--port") { Description = "Loopback port for the sandbox (0 picks a free one).", DefaultValueFactory = _ => 12111 };
    private static readonly Option<bool> SeedOption = new("--seed") { Description = "Load the demo account (products, prices, customers, a paid invoice, a payment)." };
    private static readonly Option<string?> FaultsOption = new("--faults") { Description = "Scripted faults for the next requests, in order: 429, 500, 503, reset, stall, 500-after, reset-after, ok. E.g. 500,ok,reset-after.", HelpName = "LIST" };
    private static readonly Option<string?> FaultRateOption = new("--fault-rate") { Description = "Share of requests (0-1) that fail with a random fault from --fault-kinds.", HelpName = "RATE" };
    private static readonly Option<string?> FaultKindsOption = new("--fault-kinds") { Description = "Faults --fault-rate draws from (default 429,500,503,reset).", HelpName = "LIST" };
    private static readonly Option<int?> StallOption = new("--stall-ms") { Description = "How long a 'stall' fault holds a request (default 2000).", HelpName = "MS" };
    private static readonly Option<bool> AllowLiveOption = new("--allow-live") { Description = "Accept a live key (sk_live_/rk_live_): calls move real money. Prefer a restricted key.", Recursive = true };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Mutating tools check their arguments and limits and return the exact request they would send, without sending it; read tools run normally.", Recursive = true };
    private static readonly Option<string?> AuditLogOption = new("--audit-log") { Description = "Also write the audit trail (one JSON line per tool call) to this file, rolling by day.", HelpName = "PATH", Recursive = true };
    private static readonly Option<bool> HttpOption = new("--http") { Description = "Serve Streamable HTTP at /mcp instead of stdio." };
    private static readonly Option<string?> HostOption = new("--host") { Description = $"Interface to bind with --http (default {HttpSettings.DefaultHost}); anything but loopback needs a bearer token.", HelpName = "HOST" };
    private static readonly Option<int?> HttpPortOption = new("--port") { Description = $"Port with --http (default {HttpSettings.DefaultPort}; 0 picks a free one).", HelpName = "PORT" };
    private static readonly Option<bool> StatefulOption = new("--stateful") { Description = "With --http: keep MCP sessions (for clients and features that need server-to-client requests). Default: stateless." };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print a JSON array (name, title, permission, toolset, enabled, annotations) instead of a table." };
    private static readonly Option<bool> AllOption = new("--all") { Description = "List every tool in the catalog, with whether the options enable it." };
    private static readonly Option<bool> MarkdownOption = new("--markdown") { Description = "Print the tools as README's markdown table." };

    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("StripeMcp: an MCP server exposing an allow-list of Stripe operations as tools. Without a command, serves MCP over stdio.");
        foreach (var o in new Option[] { ConfigOption, ToolsOption, ToolsetsOption, ApiKeyOption, AccountOption, ApiBaseOption, ReadOnlyOption, LogLevelOption, RetriesOption, SandboxOption, AllowLiveOption, DryRunOption, AuditLogOption })
            root.Options.Add(o);

        var serve = new Command("serve", "Serve MCP over stdio (the default), or over Streamable HTTP with --http.");
        foreach (var cmd in new[] { root, serve })
            foreach (var o in new Option[] { HttpOption, HostOption, HttpPortOption, StatefulOption })
                cmd.Options.Add(o);
        var hashToken = new Command("hash-token", "Read a bearer token from stdin and print its SHA-256, for http.tokens[].sha256 in the config file.");
        hashToken.SetAction(_ =>
        {
            var token = Console.In.ReadLine()?.Trim();
            if (string.IsNullOrEmpty(token)) { Console.Error.WriteLine("stripe-mcp hash-token: give the token on stdin"); return ConfigError; }
            Console.Out.WriteLine(Convert.ToHexStringLower(TokenPolicy.Hash(token)));
            return 0;
        });
        var tools = new Command("tools", "Print the tools the given options enable, with permission and annotations, and exit.") { JsonOption, AllOption, MarkdownOption };
        var validate = new Command("validate", "Check the config file and options; print every problem, or \"ok\".");
        var schema = new Command("schema", "Print the JSON Schema of mcp-config.json (the same as mcp-config.schema.json).");
        schema.SetAction(_ =>
        {
            Console.Out.WriteLine(ConfigSchema.Build().ToJsonString(PlainJson.Indented));
            return 0;
        });
        var config = new Command("config", "Configuration commands.") { validate, schema };
        root.Subcommands.Add(serve);
        root.Subcommands.Add(tools);
        root.Subcommands.Add(config);
        root.Subcommands.Add(hashToken);
        var sandbox = new Command("sandbox", "Run the built-in Stripe sandbox alone on 127.0.0.1, for other clients and SDKs (test keys only).")
            { PortOption, SeedOption, FaultsOption, FaultRateOption, FaultKindsOption, StallOption };
        root.Subcommands.Add(sandbox);
        sandbox.SetAction((r, ct) => SandboxCommand.RunAsync(r.GetValue(PortOption), r.GetValue(SeedOption), r.GetValue(FaultsOption),
            r.GetValue(FaultRateOption), r.GetValue(FaultKindsOption), r.GetValue(StallOption), ct));

        root.SetAction((r, ct) => ServeAsync(r, ct));
        serve.SetAction((r, ct) => ServeAsync(r, ct));
        tools.SetAction(r => ListTools(r));
        validate.SetAction(r => Validate(r));
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            // Usage errors go to stderr only (stdout may be an MCP client's protocol stream) and exit 2, like config errors.
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"stripe-mcp: {Redactor.Redact(error.Message)}");
            Console.Error.WriteLine("Run 'stripe-mcp --help' for the commands and options.");
            return ConfigError;
        }
        return await parsed.InvokeAsync();
    }

    private static OptionsLoader.Result Load(ParseResult r) => OptionsLoader.Load(new CommandLineInputs
    {
        Config = r.GetValue(ConfigOption),
        Tools = r.GetValue(ToolsOption),
        Toolsets = r.GetValue(ToolsetsOption),
        ApiKey = r.GetValue(ApiKeyOption),
        StripeAccount = r.GetValue(AccountOption),
        StripeApiBase = r.GetValue(ApiBaseOption),
        ReadOnly = r.GetValue(ReadOnlyOption),
        LogLevel = r.GetValue(LogLevelOption),
        MaxNetworkRetries = r.GetValue(RetriesOption),
        Sandbox = r.GetValue(SandboxOption),
        Http = r.GetValue(HttpOption),
        Host = r.GetValue(HostOption),
        Port = r.GetValue(HttpPortOption),
        Stateful = r.GetValue(StatefulOption),
        AllowLive = r.GetValue(AllowLiveOption),
        DryRun = r.GetValue(DryRunOption),
        AuditLog = r.GetValue(AuditLogOption),
    }, Environment.GetEnvironmentVariable);

    private static bool ReportProblems(OptionsLoader.Result result)
    {
        if (result.Ok) return false;
        Console.Error.WriteLine($"stripe-mcp: the configuration has {result.Problems.Count} problem(s); nothing was started:");
        foreach (var p in result.Problems) Console.Error.WriteLine($"  - {Redactor.Redact(p)}");
        return true;
    }

    private static async Task<int> ServeAsync(ParseResult r, CancellationToken ct)
    {
        StartupTrace.Mark("parsed");
        var result = Load(r);
        StartupTrace.Mark("options");
        if (ReportProblems(result)) return ConfigError;
        if (result.Options.ApiKey is null)
        {
            Console.Error.WriteLine($"stripe-mcp: no Stripe API key. Set {EnvVars.ApiKey} or pass --api-key (a restricted key, rk_…, limited to what the tools need, is recommended).");
            return ConfigError;
        }
        return result.Options.Http.Enabled
            ? await HttpServer.RunAsync(result.Options, ct)
            : await StdioServer.RunAsync(result.Options, ct);
    }

    private static int ListTools(ParseResult r)
    {
        var result = Load(r);
        if (ReportProblems(result)) return ConfigError;
        var enabled = ToolPolicy.Enabled(result.Options).Select(t => t.Name).ToHashSet();
        var showAll = r.GetValue(AllOption);
        var rows = ToolCatalog.All.Where(t => showAll || enabled.Contains(t.Name)).ToList();
        if (r.GetValue(MarkdownOption))
        {
            Console.Out.Write(ToolTable.Markdown(rows));
            return 0;
        }
        if (r.GetValue(JsonOption))
        {
            Console.Out.WriteLine(ToolTable.Json(rows, enabled));
            return 0;
        }
        if (rows.Count == 0)
        {
            Console.Out.WriteLine("No tools are enabled. Use --tools or --toolsets (e.g. --toolsets all), or \"actions\"/\"toolsets\" in the config file.");
            return 0;
        }
        Console.Out.Write(ToolTable.Text(rows, showAll ? enabled : null));
        Console.Out.WriteLine($"{enabled.Count} of {ToolCatalog.All.Count} tools enabled.");
        return 0;
    }

    private static int Validate(ParseResult r)
    {
        var result = Load(r);
        if (ReportProblems(result)) return ConfigError;
        var enabled = ToolPolicy.Enabled(result.Options);
        Console.Out.WriteLine("ok");
        Console.Error.WriteLine($"{enabled.Count} tools enabled{(result.Options.ConfigPath is { } p ? $", config {p}" : ", no config file")}.");
        return 0;
    }
}
