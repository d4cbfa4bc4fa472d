using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace StripeMcp.Hosting;

/// <summary>
/// Serilog to stderr only (stdout belongs to the MCP protocol in stdio mode), every line passed
/// through <see cref="SafeFormatter"/> so no secret key, forged line or megabyte value can reach a log.
/// </summary>
public static class Logging
{
    private const string Template = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <param name="client">Also to the stdio client, as MCP log notifications (<see cref="ClientLog"/>).</param>
    public static Logger Create(LogEventLevel level, ClientLog? client = null) => new LoggerConfiguration()
        .MinimumLevel.Is(level)
        // The SDK's own per-message chatter is Debug noise for an operator.
        .MinimumLevel.Override("ModelContextProtocol", level < LogEventLevel.Information ? level : LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        // OAuth introspection's HTTP client and OpenIddict log every request and the answer (a token's subject and
        // scopes) at Information: the refusal we log says what matters.
        .MinimumLevel.Override("OpenIddict", LogEventLevel.Warning)
        .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
        // The host's "failed to start" stack trace for a port in use: its caller says it in one line.
        .Filter.ByExcluding(e => PortInUse.Is(e.Exception))
        .Enrich.FromLogContext()
        .WriteTo.Console(new SafeFormatter(new MessageTemplateTextFormatter(Template)), standardErrorFromLevel: LogEventLevel.Verbose)
        .WriteTo.Sink(client ?? (ILogEventSink)NoSink.Instance)
        .CreateLogger();

    private sealed class NoSink : ILogEventSink
    {
        public static readonly NoSink Instance = new();
        public void Emit(LogEvent logEvent) { }
    }

    /// <summary>
    /// What every log line passes through, stderr and audit file alike: each value escaped and cut
    /// (<see cref="LogText"/>), lines after an event's first indented (an exception's message cannot
    /// start a line that looks like a new event), and secrets masked.
    /// </summary>
    public sealed class SafeFormatter(ITextFormatter inner) : ITextFormatter
    {
        private static readonly MessageTemplateParser Parser = new();

        public void Format(LogEvent e, TextWriter output)
        {
            var template = e.MessageTemplate.Text.Any(char.IsControl) ? Parser.Parse(LogText.Escape(e.MessageTemplate.Text)) : e.MessageTemplate;
            var safe = new LogEvent(e.Timestamp, e.Level, e.Exception, template, e.Properties.Select(p => new LogEventProperty(p.Key, Clean(p.Value))));
            using var buffer = new StringWriter();
            inner.Format(safe, buffer);
            output.Write(Redactor.Redact(IndentContinuations(buffer.ToString())));
        }

        private static LogEventPropertyValue Clean(LogEventPropertyValue v) => v switch
        {
            ScalarValue { Value: string s } => new ScalarValue(LogText.Safe(s)),
            SequenceValue seq => new SequenceValue(seq.Elements.Select(Clean)),
            StructureValue st => new StructureValue(st.Properties.Select(p => new LogEventProperty(p.Name, Clean(p.Value))), st.TypeTag),
            DictionaryValue d => new DictionaryValue(d.Elements.Select(kv => KeyValuePair.Create(kv.Key, Clean(kv.Value)))),
            _ => v,
        };

        private static string IndentContinuations(string text)
        {
            var end = text.EndsWith('\n') ? text.Length - 1 : text.Length;
            var first = text.IndexOf('\n');
            if (first < 0 || first >= end) return text;
            var body = text[(first + 1)..end].Replace("\r", "").Split('\n').Select(l => l.Length == 0 || char.IsWhiteSpace(l[0]) ? l : "    " + l);
            return text[..(first + 1)] + string.Join('\n', body) + text[end..];
        }
    }
}
