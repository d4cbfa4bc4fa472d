using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Http;
using StripeMcp.Policy;
using StripeMcp.Stdio;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Cli;

/// <summary>
/// stripe-mcp [serve] | tools | config validate take the same options (the serve options), so `tools`
/// shows exactly what `serve` would expose and `config validate` gives the verdict `serve` would.
/// sandbox, hash-token and config schema take none of them, audit only --config and --state: given another,
/// they answer with a usage error.
/// </summary>
internal static class CliApp
{
    /// <summary>Exit code for a configuration that does not validate: nothing starts.</summary>
    public const int ConfigError = Shutdown.ConfigError;

    private static readonly Option<string?> ConfigOption = new("--config") { Description = $"Path to mcp-config.json (env {EnvVars.Config}).", HelpName = "PATH" };
    private static readonly Option<string?> ToolsOption = new("--tools") { Description = "Allow-list: \"all\", or comma-separated resource.action keys, e.g. customers.read,refunds.create. Replaces the config file's actions and tools.allow.", HelpName = "LIST" };
    private static readonly Option<string?> ToolsetsOption = new("--toolsets") { Description = $"Allow-list by group: comma-separated toolsets ({string.Join(", ", ToolCatalog.ToolsetNames)}). Adds to --tools; replaces the config file's allow-list.", HelpName = "LIST" };
    private static readonly Option<string?> ApiKeyOption = new("--api-key") { Description = $"Stripe secret or restricted key, sk_… or rk_… (env {EnvVars.ApiKey}). Never read from the config file.", HelpName = "KEY" };
    private static readonly Option<string?> AccountOption = new("--stripe-account") { Description = "Connected account (acct_…) every call is made on behalf of. Overrides context.account.", HelpName = "ACCT" };
    private static readonly Option<string?> ApiBaseOption = new("--stripe-api-base") { Description = $"Stripe API base URL (env {EnvVars.ApiBase}); point it at a local stand-in. Default {ServerOptions.DefaultApiBase}.", HelpName = "URL" };
    private static readonly Option<bool> ReadOnlyOption = new("--read-only") { Description = "Enable only tools that change nothing (readOnlyHint), whatever else is allowed." };
    private static readonly Option<bool> CompactOption = new("--compact") { Description = "Publish the generic tools (stripe_api_search, _details, _read, _write) instead of the typed ones: a tool list of about 3.5 kB for --tools all, every enabled operation reached through them under the same checks." };
    private static readonly Option<string?> LogLevelOption = new("--log-level") { Description = "trace, debug, information (default), warning, error or critical. Logs go to stderr.", HelpName = "LEVEL" };
    private static readonly Option<int?> RetriesOption = new("--max-network-retries") { CustomParser = WholeNumber, Description = "Automatic retries of a failed Stripe request, 0-10 (default 2); a POST keeps its idempotency key across them.", HelpName = "N" };
    private static readonly Option<bool> SandboxOption = new("--sandbox") { Description = "Serve against a built-in Stripe sandbox with demo data (offline, no account or key needed); every tool is enabled unless --tools or a config narrows it." };
    private static readonly Option<int> PortOption = new("--port") { Description = "Loopback port for the sandbox (0 picks a free one).", HelpName = "PORT", DefaultValueFactory = _ => 12111, CustomParser = r => WholeNumber(r) ?? 0 };
    private static readonly Option<bool> SeedOption = new("--seed") { Description = "Load the demo account (products, prices, customers, a paid invoice, a payment)." };
    private static readonly Option<string?> FaultsOption = new("--faults") { Description = "Scripted faults for the next requests, in order: 429, 500, 503, reset, stall, 500-after, reset-after, ok. E.g. 500,ok,reset-after.", HelpName = "LIST" };
    private static readonly Option<string?> FaultRateOption = new("--fault-rate") { Description = "Share of requests (0-1) that fail with a random fault from --fault-kinds.", HelpName = "RATE" };
    private static readonly Option<string?> FaultKindsOption = new("--fault-kinds") { Description = "Faults --fault-rate draws from (default 429,500,503,reset).", HelpName = "LIST" };
    private static readonly Option<int?> StallOption = new("--stall-ms") { CustomParser = WholeNumber, Description = "How long a 'stall' fault holds a request (default 2000).", HelpName = "MS" };
    private static readonly Option<bool> AllowLiveOption = new("--allow-live") { Description = "Accept a live key (sk_live_/rk_live_): calls move real money. Prefer a restricted key." };
    private static readonly Option<bool> DryRunOption = new("--dry-run") { Description = "Mutating tools check their arguments and limits and return the exact request they would send, without sending it; read tools run normally." };
    private static readonly Option<string?> StateOption = new("--state") { Description = $"The SQLite file of the state store: limits' rolling totals, idempotency keys and the audit chain, across restarts (default: stripe-mcp/state.db in the user's state directory; {EnvVars.Postgres} names a PostgreSQL one instead).", HelpName = "PATH" };
    private static readonly Option<string?> AuditLogOption = new("--audit-log") { Description = "Also append the audit trail (one JSON line per tool call) to exactly this file.", HelpName = "PATH" };
    private static readonly Option<bool> HttpOption = new("--http") { Description = "Serve Streamable HTTP at /mcp instead of stdio." };
    private static readonly Option<string?> HostOption = new("--host") { Description = $"Interface to bind with --http (default {HttpSettings.DefaultHost}); anything but loopback needs a bearer token.", HelpName = "HOST" };
    private static readonly Option<int?> HttpPortOption = new("--port") { CustomParser = WholeNumber, Description = $"Port with --http (default {HttpSettings.DefaultPort}; 0 picks a free one).", HelpName = "PORT" };
    private static readonly Option<bool> StatefulOption = new("--stateful") { Description = "With --http: keep MCP sessions (for clients and features that need server-to-client requests). Default: stateless." };
    private static readonly Option<bool> JsonOption = new("--json") { Description = "Print a JSON array (name, title, permission, toolset, enabled, annotations) instead of a table." };
    private static readonly Option<bool> AllOption = new("--all") { Description = "List every tool in the catalog, with whether the options enable it." };
    private static readonly Option<bool> MarkdownOption = new("--markdown") { Description = "Print the tools as the markdown table of docs/tools.md." };

    /// <summary>The options of serve, tools and config validate (and of the root, which serves).</summary>
    private static readonly Option[] ServeOptions =
    [
        ConfigOption, ToolsOption, ToolsetsOption, ApiKeyOption, AccountOption, ApiBaseOption, ReadOnlyOption, CompactOption, LogLevelOption, RetriesOption,
        SandboxOption, AllowLiveOption, DryRunOption, AuditLogOption, StateOption, HttpOption, HostOption, HttpPortOption, StatefulOption,
    ];

    /// <summary>The command tree, built once: parsing it is read-only, so servers in one process (the tests') share it.</summary>
    private static readonly Lazy<RootCommand> Root = new(Build);

    /// <summary>The program: every command, on the process's own console, environment and signals.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Root.Value.Parse(args);
        return UsageErrors(parsed, Console.Error) ? ConfigError : await parsed.InvokeAsync();
    }

    /// <summary>
    /// The server a command line starts (`[serve] …`), on the given streams, log and environment, with no signals of
    /// its own: how the tests run it in process. Any other command (help, version, tools, …) is the program's alone.
    /// </summary>
    public static async Task<int> ServeAsync(string[] args, ProcessIo io, CancellationToken ct)
    {
        var parsed = Root.Value.Parse(args);
        if (UsageErrors(parsed, io.Errors)) return ConfigError;
        var command = parsed.CommandResult.Command;
        if (command.Name != "serve" && command != Root.Value || parsed.Action != command.Action)
            throw new ArgumentException($"only a server runs in process, not '{CommandPath(parsed.CommandResult)}' with these options", nameof(args));
        return await ServeAsync(parsed, io, ct);
    }

    private static RootCommand Build()
    {
        var root = new RootCommand("StripeMcp: an MCP server exposing an allow-list of Stripe operations as tools. Without a command, serves MCP over stdio.");
        var serve = new Command("serve", "Serve MCP over stdio (the default), or over Streamable HTTP with --http.");
        var tools = new Command("tools", "Print the tools the given options enable, with permission and annotations, and exit.") { JsonOption, AllOption, MarkdownOption };
        tools.Validators.Add(r =>
        {
            if (r.GetValue(JsonOption) && r.GetValue(MarkdownOption)) r.AddError("--json and --markdown: choose one (--json prints JSON, --markdown the table of docs/tools.md)");
        });
        var validate = new Command("validate", "Check the config file and options as serve would (a missing key included); print every problem, or \"ok\".");
        foreach (var cmd in new Command[] { root, serve, tools, validate })
            foreach (var o in ServeOptions)
                cmd.Options.Add(o);

        var hashToken = new Command("hash-token", "Read a bearer token from stdin and print its SHA-256, for http.tokens[].sha256 in the config file.");
        hashToken.SetAction(_ =>
        {
            var token = Console.In.ReadLine()?.Trim();
            if (string.IsNullOrEmpty(token)) { Console.Error.WriteLine("stripe-mcp hash-token: give the token on stdin"); return ConfigError; }
            Console.Out.WriteLine(Convert.ToHexStringLower(TokenPolicy.Hash(token)));
            return 0;
        });
        var schema = new Command("schema", "Print the JSON Schema of mcp-config.json (the same as mcp-config.schema.json).");
        schema.SetAction(_ =>
        {
            Console.Out.WriteLine(ConfigSchema.Build().ToJsonString(PlainJson.Indented));
            return 0;
        });
        var config = new Command("config", "Configuration commands.") { validate, schema };
        var sandbox = new Command("sandbox", "Run the built-in Stripe sandbox alone on 127.0.0.1, for other clients and SDKs (test keys only).")
            { PortOption, SeedOption, FaultsOption, FaultRateOption, FaultKindsOption, StallOption };
        var trigger = TriggerCommand.Build();
        sandbox.Subcommands.Add(trigger);
        foreach (var cmd in new[] { sandbox, trigger, hashToken, schema }) RefuseServeOptions(cmd);
        root.Subcommands.Add(serve);
        root.Subcommands.Add(tools);
        root.Subcommands.Add(config);
        root.Subcommands.Add(hashToken);
        root.Subcommands.Add(sandbox);
        root.Subcommands.Add(AuditCommand.Build(ConfigOption, StateOption, RefuseServeOptions));

        // --version answers on every command (`serve --version` too); --help ends with the environment and examples.
        root.Options.OfType<VersionOption>().Single().Recursive = true;
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithEnvironment((HelpAction)help.Action!, [root, serve, tools, validate], [root, serve]);

        sandbox.SetAction((r, ct) => SandboxCommand.RunAsync(r.GetValue(PortOption), r.GetValue(SeedOption), r.GetValue(FaultsOption),
            r.GetValue(FaultRateOption), r.GetValue(FaultKindsOption), r.GetValue(StallOption), ct));
        root.SetAction((r, ct) => ServeAsync(r, ProcessIo.Console, ct));
        serve.SetAction((r, ct) => ServeAsync(r, ProcessIo.Console, ct));
        tools.SetAction(r => ListTools(r));
        validate.SetAction(r => Validate(r));
        return root;
    }

    /// <summary>Usage errors go to stderr only (stdout may be an MCP client's protocol stream) and exit 2, like config errors.</summary>
    private static bool UsageErrors(ParseResult parsed, TextWriter errors)
    {
        if (parsed.Errors.Count == 0) return false;
        foreach (var error in parsed.Errors) errors.WriteLine($"stripe-mcp: {Redactor.Redact(error.Message)}");
        errors.WriteLine($"Run '{CommandPath(parsed.CommandResult)} --help' for its usage.");
        return true;
    }

    /// <summary>"stripe-mcp config validate" for the command a parse ended on.</summary>
    private static string CommandPath(CommandResult? r)
    {
        var names = new List<string>();
        for (; r is not null; r = r.Parent as CommandResult) names.Insert(0, r.Parent is null ? "stripe-mcp" : r.Command.Name);
        return names.Count == 0 ? "stripe-mcp" : string.Join(' ', names);
    }

    /// <summary>
    /// A command that takes none of the serve options still recognizes their names (hidden from its help),
    /// so that `sandbox --tools all` is one error naming --tools rather than two about stray words.
    /// </summary>
    private static void RefuseServeOptions(Command cmd)
    {
        var own = cmd.Options.Select(o => o.Name).ToHashSet();
        var twins = ServeOptions.Where(o => !own.Contains(o.Name))
            .Select(o => o.ValueType == typeof(bool) ? (Option)new Option<bool>(o.Name) { Hidden = true } : new Option<string?>(o.Name) { Hidden = true })
            .ToList();
        foreach (var twin in twins) cmd.Options.Add(twin);
        var list = string.Join(", ", cmd.Options.Where(o => own.Contains(o.Name)).Select(o => o.Name));
        cmd.Validators.Add(r =>
        {
            foreach (var twin in twins.Where(t => r.GetResult(t) is { Implicit: false }))
                r.AddError($"{twin.Name}: not an option of '{cmd.Name}' (it belongs to serve, tools and config validate); "
                    + (own.Count == 0 ? $"'{cmd.Name}' takes no options" : $"'{cmd.Name}' takes {list}"));
            // A serve option written before the command's name, on the root: `stripe-mcp --tools all sandbox`.
            foreach (var o in ServeOptions.Where(o => !own.Contains(o.Name) && r.GetResult(o) is { Implicit: false }))
                r.AddError($"{o.Name}: a serve option, given before '{cmd.Name}', which "
                    + (own.Count == 0 ? "takes no options" : $"takes its own options after its name: {list}"));
        });
    }

    /// <summary>Every int option: "--port: 'abc' is not a whole number" rather than the name of a .NET type.</summary>
    private static int? WholeNumber(ArgumentResult r)
    {
        if (r.Tokens.Count == 0) return null;
        var token = r.Tokens[^1].Value;
        if (int.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        var name = r.Parent is OptionResult o ? o.IdentifierToken?.Value ?? o.Option.Name : r.Argument.Name;
        r.AddError(long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"{name}: {token} is out of range"
            : $"{name}: '{LogText.Safe(token, 40)}' is not a whole number");
        return null;
    }

    private static OptionsLoader.Result Load(ParseResult r, bool toServe, Func<string, string?>? env = null) => OptionsLoader.Load(new CommandLineInputs
    {
        Config = r.GetValue(ConfigOption),
        Tools = r.GetValue(ToolsOption),
        Toolsets = r.GetValue(ToolsetsOption),
        ApiKey = r.GetValue(ApiKeyOption),
        StripeAccount = r.GetValue(AccountOption),
        StripeApiBase = r.GetValue(ApiBaseOption),
        ReadOnly = r.GetValue(ReadOnlyOption),
        Compact = r.GetValue(CompactOption),
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
        State = r.GetValue(StateOption),
    }, env ?? Environment.GetEnvironmentVariable, toServe);

    private static bool ReportProblems(OptionsLoader.Result result, TextWriter? errors = null)
    {
        if (result.Ok) return false;
        errors ??= Console.Error;
        errors.WriteLine($"stripe-mcp: the configuration has {result.Problems.Count} problem(s); nothing was started:");
        foreach (var p in result.Problems) errors.WriteLine($"  - {Redactor.Redact(p)}");
        return true;
    }

    private static async Task<int> ServeAsync(ParseResult r, ProcessIo io, CancellationToken ct)
    {
        StartupTrace.Mark("parsed");
        var result = Load(r, toServe: true, io.Environment);
        StartupTrace.Mark("options");
        if (result.Ok && result.Options.AuditLogPath is { } auditLog && OptionsLoader.OpenAuditLog(auditLog) is { } unwritable)
            result = result with { Problems = [unwritable] };
        if (ReportProblems(result, io.Errors)) return ConfigError;
        return result.Options.Http.Enabled
            ? await HttpServer.RunAsync(result.Options, io, ct)
            : await StdioServer.RunAsync(result.Options, io, ct);
    }

    private static int ListTools(ParseResult r)
    {
        var result = Load(r, toServe: false);
        if (ReportProblems(result)) return ConfigError;
        var enabled = Published(result.Options);
        var showAll = r.GetValue(AllOption);
        var rows = ToolCatalog.All.Where(t => showAll || enabled.Contains(t.Name)).ToList();
        if (r.GetValue(MarkdownOption))
        {
            Console.Out.Write(ToolTable.Markdown(rows));
            return 0;
        }
        if (r.GetValue(JsonOption))
        {
            Console.Out.WriteLine(ToolTable.Json(rows, enabled, showAll));
            return 0;
        }
        var surfaceRows = Inventory.Surface.Where(s => showAll || enabled.Contains(s.Name)).ToList();
        if (rows.Count == 0 && surfaceRows.Count == 0)
        {
            Console.Out.WriteLine("No tools are enabled. Use --tools or --toolsets (e.g. --toolsets all), or \"actions\"/\"toolsets\" in the config file.");
            return 0;
        }
        Console.Out.Write(ToolTable.Text(rows, showAll ? enabled : null, surfaceRows));
        Console.Out.WriteLine($"{enabled.Count} of {ToolCatalog.All.Count + Inventory.Surface.Count} tools enabled{CompactNote(result.Options)}.");
        return 0;
    }

    /// <summary>
    /// The tools serve would publish with these options, typed and surface alike; the receiver's log as an HTTP server
    /// would publish it (secrets it keeps in the state store are not read here).
    /// </summary>
    private static HashSet<string> Published(ServerOptions o) =>
        ToolPolicy.Published(o).Select(t => t.Name)
            .Concat(Inventory.Surface.Where(s => ToolPolicy.IsEnabled(s, o, receiving: o.Http.Enabled && WebhookReceiver.Receiving(o, kept: false))).Select(s => s.Name))
            .ToHashSet();

    /// <summary>What compact mode leaves out of the tool list, said where the tools are counted.</summary>
    private static string CompactNote(ServerOptions o) => o.Compact && ToolPolicy.Enabled(o).Count is > 0 and var typed
        ? $" (compact: the operations of {typed} typed tools through the generic tools)" : o.Compact ? " (compact)" : "";

    private static int Validate(ParseResult r)
    {
        // The verdict serve would give: the same loader, the same problems (a missing key among them).
        var result = Load(r, toServe: true);
        if (ReportProblems(result)) return ConfigError;
        var enabled = Published(result.Options);
        foreach (var idle in ToolPolicy.IdleRules(result.Options)) Console.Error.WriteLine("note: " + idle);
        Console.Out.WriteLine("ok");
        Console.Error.WriteLine($"{enabled.Count} tools enabled{CompactNote(result.Options)}{(result.Options.ConfigPath is { } p ? $", config {p}" : ", no config file")}.");
        return 0;
    }
}
