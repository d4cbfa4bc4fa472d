using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;
using Serilog.Parsing;

namespace StripeMcp.Hosting;

/// <summary>
/// Serilog to stderr only (stdout belongs to the MCP protocol in stdio mode), every line passed
/// through <see cref="SafeLogFormatter"/> so no secret key, forged line or megabyte value can reach a log.
/// </summary>
internal static class Logging
{
    private const string Template = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <param name="errors">Where the lines go: the process's stderr (<see cref="ProcessIo.Errors"/>).</param>
    /// <param name="client">Also to the stdio client, as MCP log notifications (<see cref="ClientLog"/>).</param>
    public static Logger Create(LogEventLevel level, TextWriter errors, ClientLog? client = null) => new LoggerConfiguration()
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
        .WriteTo.Sink(new Lines(errors, new SafeLogFormatter(new MessageTemplateTextFormatter(Template))))
        .WriteTo.Sink(client ?? (ILogEventSink)NoSink.Instance)
        .CreateLogger();

    /// <summary>Each event formatted and written whole, one writer at a time, flushed at once (a log must not lag a crash).</summary>
    private sealed class Lines(TextWriter writer, ITextFormatter formatter) : ILogEventSink
    {
        public void Emit(LogEvent logEvent)
        {
            var line = new StringWriter();
            formatter.Format(logEvent, line);
            lock (writer)
            {
                writer.Write(line.ToString());
                writer.Flush();
            }
        }
    }

    private sealed class NoSink : ILogEventSink
    {
        public static readonly NoSink Instance = new();
        public void Emit(LogEvent logEvent) { }
    }
}
