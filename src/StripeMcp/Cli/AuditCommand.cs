using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Configuration;
using StripeMcp.State;
using StripeMcp.Pipeline;

namespace StripeMcp.Cli;

/// <summary>
/// `stripe-mcp audit tail | verify | export | uncertain`: the audit chain and the open reservations of the
/// state store that serve would use with the same --config and --state (or STRIPE_MCP_POSTGRES).
/// </summary>
internal static class AuditCommand
{
    /// <summary>Exit code when the chain does not hold (and, as for config errors, when the input is wrong).</summary>
    public const int Broken = 2;
    /// <summary>Exit code when the store cannot be read.</summary>
    public const int Unavailable = 1;

    private static readonly Option<string?> SinceOption = new("--since") { Description = "Only records from then on: a duration back from now (30m, 24h, 7d) or a date (2026-12-01, 2026-12-01T10:00:00Z).", HelpName = "WHEN" };
    private static readonly Option<int?> LimitOption = new("--limit", "-n") { Description = "How many of the last records to show (default 20; 0 shows all).", HelpName = "N" };
    private static readonly Option<string?> OlderThanOption = new("--older-than") { Description = "Only reservations at least this old (default 1m: younger ones are most likely calls still in flight).", HelpName = "DURATION" };
    private static readonly Option<string> FormatOption = new("--format") { Description = "Output format: jsonl (one JSON object per record: seq, at, prev, hash, event).", HelpName = "FORMAT", DefaultValueFactory = _ => "jsonl" };

    public static Command Build(Option<string?> config, Option<string?> state, Action<Command> refuseServeOptions)
    {
        var tail = new Command("tail", "Print the last audit records (or those since --since), oldest first.") { config, state, SinceOption, LimitOption };
        tail.SetAction((r, ct) => Run(r, ct, config, state, TailAsync));
        var verify = new Command("verify", "Check the audit chain from its first record: \"ok\" and the count, or exit 2 naming the first record that was edited, removed or moved.") { config, state };
        verify.SetAction((r, ct) => Run(r, ct, config, state, VerifyAsync));
        var export = new Command("export", "Print every audit record (or those since --since) with its hashes, one JSON object per line.") { config, state, SinceOption, FormatOption };
        export.SetAction((r, ct) => Run(r, ct, config, state, ExportAsync));
        var uncertain = new Command("uncertain", "List reservations against limits' totals whose call never reported back (outcome unknown): still counted; check them in Stripe.") { config, state, OlderThanOption };
        uncertain.SetAction((r, ct) => Run(r, ct, config, state, UncertainAsync));
        foreach (var cmd in new[] { tail, verify, export, uncertain }) refuseServeOptions(cmd);
        return new Command("audit", "The audit chain and open reservations in the state store (the one serve uses with the same --config, --state or STRIPE_MCP_POSTGRES).")
            { tail, verify, export, uncertain };
    }

    private static async Task<int> Run(ParseResult r, CancellationToken ct, Option<string?> config, Option<string?> state, Func<ParseResult, IStateStore, CancellationToken, Task<int>> work)
    {
        var name = $"stripe-mcp audit {r.CommandResult.Command.Name}";
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = r.GetValue(config), State = r.GetValue(state) }, Environment.GetEnvironmentVariable, toServe: false);
        if (!loaded.Ok)
        {
            Console.Error.WriteLine($"{name}: the configuration has {loaded.Problems.Count} problem(s):");
            foreach (var p in loaded.Problems) Console.Error.WriteLine($"  - {Redactor.Redact(p)}");
            return CliApp.ConfigError;
        }
        if (loaded.Options.StatePostgres is null && !File.Exists(loaded.Options.StatePath))
        {
            // Opening would create an empty file: say there is nothing rather than leave one behind.
            Console.Error.WriteLine($"{name}: no state store at {loaded.Options.StatePath} (a server creates it at its first tool call); --state or --config names another");
            return Unavailable;
        }
        await using var store = StateStores.Open(loaded.Options);
        try
        {
            if (await store.OpenAsync(ct) is BrokenStateStore) throw new StateUnavailable(store.Description);
            return await work(r, store, ct);
        }
        catch (StateUnavailable e)
        {
            Console.Error.WriteLine($"{name}: {Redactor.Redact(e.Message)}");
            return Unavailable;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine($"{name}: {e.Message}");
            return CliApp.ConfigError;
        }
    }

    /// <summary>"30m", "24h", "7d" back from now, or a date: what --since takes.</summary>
    public static DateTimeOffset? Since(string? text, DateTimeOffset now)
    {
        if (text is null) return null;
        if (LimitSettings.ParseWindow(text) is { } back) return now - back;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
        throw new FormatException($"--since: '{LogText.Safe(text, 40)}' is neither a duration (30m, 24h, 7d) nor a date (2026-12-01, 2026-12-01T10:00:00Z)");
    }

    private static async Task<int> TailAsync(ParseResult r, IStateStore store, CancellationToken ct)
    {
        var since = Since(r.GetValue(SinceOption), DateTimeOffset.UtcNow);
        var limit = r.GetValue(LimitOption) ?? 20;
        if (limit < 0) throw new FormatException($"--limit: must be 0 (all) or more, got {limit}");
        var last = new Queue<AuditRecord>();
        await foreach (var record in store.ReadAuditAsync(since, ct))
        {
            last.Enqueue(record);
            if (limit > 0 && last.Count > limit) last.Dequeue();
        }
        foreach (var record in last) Console.Out.WriteLine(Line(record));
        if (last.Count == 0) Console.Error.WriteLine(since is null ? "No audit records yet." : $"No audit records since {since:u}.");
        return 0;
    }

    /// <summary>One record as a line a person reads: number, time, tool, outcome, who, and the rest.</summary>
    public static string Line(AuditRecord record)
    {
        try
        {
            var e = JsonNode.Parse(record.Json)!.AsObject();
            string P(string name) => e[name] is JsonValue v ? v.ToString() : "-";
            var detail = e["Detail"] is JsonValue d && d.ToString().Length > 0 ? " " + d : "";
            return $"#{record.Seq} {record.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {P("Tool")} {P("Outcome")} account={P("Account")} caller={P("Caller")} request_id={P("RequestId")} idempotency_key={P("IdempotencyKey")} {P("Permission")} args={e["Arguments"]?.ToJsonString(PlainJson.Options) ?? "{}"}{detail}";
        }
        catch (JsonException)
        {
            return $"#{record.Seq} {record.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z (not a JSON record: {LogText.Safe(record.Json, 200)})";
        }
    }

    private static async Task<int> VerifyAsync(ParseResult r, IStateStore store, CancellationToken ct)
    {
        var (count, last, broken) = await AuditChain.VerifyAsync(store.ReadAuditAsync(null, ct), ct);
        if (broken is not null)
        {
            Console.Out.WriteLine($"broken at record {broken.Seq}: {broken.Problem}");
            Console.Out.WriteLine($"the {count} record(s) before it hold (the last of them has hash {last})");
            await foreach (var record in store.ReadAuditAsync(null, ct))
                if (record.Seq == broken.Seq) { Console.Out.WriteLine(Line(record)); break; }
            return Broken;
        }
        Console.Out.WriteLine(count == 0 ? "ok: no audit records yet" : $"ok: {count} record(s), the chain holds; last hash {last}");
        return 0;
    }

    private static async Task<int> ExportAsync(ParseResult r, IStateStore store, CancellationToken ct)
    {
        if (r.GetValue(FormatOption) is var format && format != "jsonl") throw new FormatException($"--format: '{LogText.Safe(format ?? "", 20)}' is not a format this exports; the one there is: jsonl");
        var since = Since(r.GetValue(SinceOption), DateTimeOffset.UtcNow);
        await using var output = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = false };
        await foreach (var record in store.ReadAuditAsync(since, ct))
        {
            JsonNode? e;
            try { e = JsonNode.Parse(record.Json); }
            catch (JsonException) { e = JsonValue.Create(record.Json); }
            var line = new JsonObject { ["seq"] = record.Seq, ["at"] = record.At.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), ["prev"] = record.Prev, ["hash"] = record.Hash, ["event"] = e };
            await output.WriteLineAsync(line.ToJsonString(PlainJson.Options));
        }
        return 0;
    }

    private static async Task<int> UncertainAsync(ParseResult r, IStateStore store, CancellationToken ct)
    {
        var age = r.GetValue(OlderThanOption) is { } text
            ? LimitSettings.ParseWindow(text) ?? throw new FormatException($"--older-than: '{LogText.Safe(text, 40)}' is not a duration (90s, 30m, 24h, 7d)")
            : TimeSpan.FromMinutes(1);
        var open = await store.UncertainAsync(DateTimeOffset.UtcNow - age, ct);
        if (open.Count == 0)
        {
            Console.Out.WriteLine("No uncertain reservations: every limited call reported back.");
            return 0;
        }
        foreach (var u in open.GroupBy(u => u.Id))
        {
            var first = u.First();
            Console.Out.WriteLine($"{first.At.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z {first.Tool} {new Amounts.Money(first.Amount, first.Currency)} scope={first.Scope} rules={string.Join(",", u.Select(x => x.Rule))} instance={first.Instance} reservation={first.Id}");
        }
        Console.Error.WriteLine($"{open.Select(u => u.Id).Distinct().Count()} call(s) never reported back: their amounts stay counted against the totals until the window passes. Look each up in Stripe (its reservation is the call's idempotency key).");
        return 0;
    }
}
