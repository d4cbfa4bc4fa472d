using System.CommandLine;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Sandbox;

namespace StripeMcp.Cli;

/// <summary>`stripe-mcp sandbox`: the Stripe stand-in alone, until Ctrl+C.</summary>
internal static class SandboxCommand
{
    /// <summary>What the sandbox did that no answer shows (webhook deliveries), on stderr, secrets masked.</summary>
    public static void Log(string line) => Console.Error.WriteLine($"stripe-mcp sandbox: {Redactor.Redact(line)}");

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

        using var shutdown = Shutdown.Listen(ct, signals: true);
        Sandbox.Sandbox sandbox;
        try
        {
            sandbox = await Sandbox.Sandbox.StartAsync(new SandboxOptions { Port = port, Seed = seed, Faults = faultOptions, Log = Log }, shutdown.Requested);
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

/// <summary>
/// `stripe-mcp sandbox trigger &lt;event-type&gt; [--url URL] [--secret whsec_…]`: in a fresh sandbox, make the objects
/// that make Stripe emit that event; with --url, deliver it there signed as Stripe signs (retried on failure),
/// without, print it. Offline: a developer tests a webhook handler with no account.
/// </summary>
internal static class TriggerCommand
{
    private static readonly Argument<string> EventType = new("event-type") { Description = "The event to make happen, e.g. payment_intent.succeeded (list: --help)." };
    private static readonly Option<string?> Url = new("--url") { Description = "Deliver the event to this URL (http or https), as a signed POST.", HelpName = "URL" };
    private static readonly Option<string?> Secret = new("--secret") { Description = $"The signing secret (whsec_…) your handler verifies with; default ${EnvVars.WebhookSecret}.", HelpName = "WHSEC" };

    public static Command Build()
    {
        var cmd = new Command("trigger", "Make an event happen in a fresh sandbox and deliver it to --url signed (or print it). Events: "
            + string.Join(", ", Sandbox.Triggers.Recipes.Keys.Order(StringComparer.Ordinal)) + ".") { EventType, Url, Secret };
        cmd.SetAction((r, ct) => RunAsync(r.GetValue(EventType)!, r.GetValue(Url), r.GetValue(Secret) ?? Environment.GetEnvironmentVariable(EnvVars.WebhookSecret)?.Split(',')[0].Trim(), ct));
        return cmd;
    }

    private static async Task<int> RunAsync(string type, string? url, string? secret, CancellationToken ct)
    {
        if (!Sandbox.Triggers.Recipes.TryGetValue(type, out var recipe))
        {
            var known = Sandbox.Webhooks.EventTypes.Contains(type) ? "is an event Stripe sends, but the sandbox cannot trigger it yet"
                : $"is not an event type Stripe sends{OptionsLoader.DidYouMean(type, Sandbox.Webhooks.EventTypes)}";
            Console.Error.WriteLine($"stripe-mcp sandbox trigger: {LogText.Safe(type, 80)} {known}; these can be triggered: {string.Join(", ", Sandbox.Triggers.Recipes.Keys.Order(StringComparer.Ordinal))}");
            return CliApp.ConfigError;
        }
        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
        {
            Console.Error.WriteLine("stripe-mcp sandbox trigger: --url must be an absolute http(s) URL");
            return CliApp.ConfigError;
        }
        if (url is not null && (secret is null || !secret.StartsWith("whsec_", StringComparison.Ordinal) || secret.Length < 10))
        {
            Console.Error.WriteLine($"stripe-mcp sandbox trigger: --url needs the signing secret your handler verifies with: --secret whsec_… or ${EnvVars.WebhookSecret}"
                + (secret is null ? "" : " (the one given does not start with whsec_)"));
            return CliApp.ConfigError;
        }

        using var shutdown = Shutdown.Listen(ct, signals: true);
        // A shorter schedule than a running sandbox's: four attempts within about seven seconds.
        var options = new SandboxOptions { Log = SandboxCommand.Log, WebhookRetries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4)] };
        await using var sandbox = await Sandbox.Sandbox.StartAsync(options, shutdown.Requested);
        if (url is not null)
        {
            var endpoint = sandbox.Execute("POST", "/v1/webhook_endpoints", $"url={Uri.EscapeDataString(url)}&enabled_events[]={type}")["id"]!.GetValue<string>();
            lock (sandbox.State.Lock) sandbox.State.WebhookSecrets[endpoint] = secret!;
        }
        try
        {
            recipe(sandbox);
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"stripe-mcp sandbox trigger: the sandbox refused a step of {type}: {Redactor.Redact(e.Message)}");
            return 1;
        }
        List<System.Text.Json.Nodes.JsonObject> events;
        lock (sandbox.State.Lock) events = [.. sandbox.State.List(SandboxState.Platform, "event").Where(e => e["type"]!.GetValue<string>() == type).Reverse()];
        if (url is null)
        {
            foreach (var e in events) Console.Out.WriteLine(e.ToJsonString(PlainJson.Indented));
            return 0;
        }
        // Wait for every delivery to end: delivered, or given up after the retry schedule (about half a minute).
        var ids = events.Select(e => e["id"]!.GetValue<string>()).ToHashSet();
        bool Done() => ids.All(id => sandbox.State.Webhooks!.Attempts.Any(a => a.EventId == id && (a.Delivered || a.Attempt == options.WebhookRetries.Count + 1)));
        while (!Done() && !shutdown.Requested.IsCancellationRequested)
            try { await Task.Delay(100, shutdown.Requested); } catch (OperationCanceledException) { }
        var delivered = ids.Count(id => sandbox.State.Webhooks!.Attempts.Any(a => a.EventId == id && a.Delivered));
        Console.Error.WriteLine($"stripe-mcp sandbox trigger: {type}: {delivered} of {ids.Count} event(s) delivered to {url}");
        return delivered == ids.Count ? 0 : 1;
    }
}
