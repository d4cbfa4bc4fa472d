using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;
using StripeMcp.Configuration;

namespace StripeMcp.Policy;

/// <summary>One tool call, filled in as it goes, recorded once at the end.</summary>
internal sealed class AuditEvent(string tool, string permission, IReadOnlyDictionary<string, JsonElement> arguments)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    public string Tool { get; } = tool;
    public string Permission { get; } = permission;
    public IReadOnlyDictionary<string, JsonElement> Arguments { get; } = arguments;
    public string? Account { get; set; }
    public string? Caller { get; init; }
    public string? RequestId { get; set; }
    public string? IdempotencyKey { get; set; }
    public string? Detail { get; set; }
    /// <summary>The request has been handed to the gateway: from here, a failure may have left it applied.</summary>
    public bool Sent { get; set; }
    internal bool Recorded { get; set; }
    public double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;
}

/// <summary>
/// The audit trail: one structured event per tool call, to stderr (at information level, so it follows
/// --log-level), appended to the JSON-lines file --audit-log names (always), and to the state store's
/// tamper-evident chain (<see cref="State.AuditChain"/>; `stripe-mcp audit verify`). Arguments are recorded with
/// secrets redacted and, unless audit.includePersonalData, emails and card-like numbers masked.
/// </summary>
internal sealed partial class AuditTrail : IDisposable
{
    private readonly Lazy<Logger> _lazy;
    private readonly bool _personal;

    // Built on the first call, not at start-up.
    private Logger _log => _lazy.Value;

    /// <param name="hostLog">The server's own log (stderr): audit events go there as well as to --audit-log.</param>
    /// <param name="store">The state store whose audit chain gets every event (null: none, as in unit tests).</param>
    public AuditTrail(ServerOptions options, Serilog.ILogger hostLog, State.IStateStore? store = null)
    {
        _personal = options.AuditPersonalData;
        _lazy = new Lazy<Logger>(() => Create(options, hostLog, store));
    }

    private static Logger Create(ServerOptions options, Serilog.ILogger hostLog, State.IStateStore? store)
    {
        // Audit events are Information: on stderr they follow --log-level (warning silences them there);
        // the --audit-log file always gets every one.
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .WriteTo.Logger(hostLog.ForContext(Constants.SourceContextPropertyName, "StripeMcp.Audit"));
        if (options.AuditLogPath is { } path)
            // Exactly the file named, appended to (rotating it is the operator's: logrotate's copytruncate).
            config = config.WriteTo.File(new SafeLogFormatter(new CompactJsonFormatter()), path, rollingInterval: RollingInterval.Infinite);
        if (store is not null) config = config.WriteTo.Sink(new AuditStoreSink(store, hostLog));
        return config.CreateLogger();
    }

    public void Record(AuditEvent e, string outcome)
    {
        if (e.Recorded) return; // one event per call, whatever path ended it
        e.Recorded = true;
        if (!_log.BindMessageTemplate("audit {Tool} {Outcome} account={Account} caller={Caller} request_id={RequestId} idempotency_key={IdempotencyKey} {DurationMs:F0} ms {Permission} args={Arguments}{Detail}",
            [e.Tool, outcome, e.Account ?? "platform", e.Caller ?? "local", e.RequestId ?? "-", e.IdempotencyKey ?? "-", e.ElapsedMs, e.Permission,
             null, e.Detail is null ? "" : $" ({e.Detail})"], out var template, out var properties)) return;
        // Arguments are bound as the structured value built here, not as whatever Serilog would make of it.
        var arguments = MaskedArguments(e.Arguments);
        _log.Write(new LogEvent(DateTimeOffset.Now, LogEventLevel.Information, null, template,
            properties.Select(p => p.Name == "Arguments" ? new LogEventProperty(p.Name, arguments) : p)));
    }

    private const int MaxValueChars = 500;

    /// <summary>
    /// The arguments as a structured value, so the JSON-lines file holds them as an object (not a string of
    /// JSON) and stderr renders them as JSON; every string masked and cut on its own.
    /// </summary>
    public LogEventPropertyValue MaskedArguments(IReadOnlyDictionary<string, JsonElement> args) =>
        new DictionaryValue(args.Select(a => KeyValuePair.Create(new ScalarValue(Redactor.Redact(a.Key)), Mask(a.Value))));

    /// <summary>A masked copy of an argument, built in one pass over the JSON.</summary>
    private LogEventPropertyValue Mask(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => new DictionaryValue(e.EnumerateObject().Select(p => KeyValuePair.Create(new ScalarValue(Redactor.Redact(p.Name)), Mask(p.Value)))),
        JsonValueKind.Array => new SequenceValue(e.EnumerateArray().Select(Mask)),
        JsonValueKind.String => new ScalarValue(MaskText(Tools.Param.Text(e) ?? "(not valid Unicode)")),
        JsonValueKind.Number => new ScalarValue(e.TryGetInt64(out var n) ? n : e.TryGetDecimal(out var d) ? d : e.GetDouble()),
        JsonValueKind.True => new ScalarValue(true),
        JsonValueKind.False => new ScalarValue(false),
        _ => new ScalarValue(null),
    };

    private string MaskText(string text)
    {
        // A value is evidence, not a copy: a refused megabyte string is recorded by its start and size.
        if (text.Length > MaxValueChars) text = $"{text[..MaxValueChars]}… (cut: {text.Length:N0} characters in all)";
        var s = Redactor.Redact(text);
        if (_personal) return s;
        s = EmailRegex().Replace(s, m => $"{m.Groups[1].Value[0]}***@{m.Groups[2].Value}");
        return CardRegex().Replace(s, m => $"****{string.Concat(m.Value.Where(char.IsAsciiDigit).TakeLast(4))}");
    }

    [GeneratedRegex(@"\b([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b")]
    private static partial Regex EmailRegex();

    /// <summary>13 to 19 digits, optionally grouped by spaces or dashes: what a card number looks like.</summary>
    [GeneratedRegex(@"\b(?:\d[ -]?){12,18}\d\b")]
    private static partial Regex CardRegex();

    public void Dispose()
    {
        if (_lazy.IsValueCreated) _lazy.Value.Dispose();
    }
}
