using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace StripeMcp.Hosting;

/// <summary>
/// Serilog to stderr only (stdout belongs to the MCP protocol in stdio mode), every line passed
/// through <see cref="Redactor"/> so no secret key can reach a log.
/// </summary>
public static class Logging
{
    private const string Template = "{Timestamp:HH:mm:ss.fff} [{Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static Logger Create(LogEventLevel level) => new LoggerConfiguration()
        .MinimumLevel.Is(level)
        // The SDK's own per-message chatter is Debug noise for an operator.
        .MinimumLevel.Override("ModelContextProtocol", level < LogEventLevel.Information ? level : LogEventLevel.Warning)
        .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
        .Enrich.FromLogContext()
        .WriteTo.Console(new RedactingFormatter(new MessageTemplateTextFormatter(Template)), standardErrorFromLevel: LogEventLevel.Verbose)
        .CreateLogger();

    public sealed class RedactingFormatter(ITextFormatter inner) : ITextFormatter
    {
        public void Format(LogEvent logEvent, TextWriter output)
        {
            using var buffer = new StringWriter();
            inner.Format(logEvent, buffer);
            output.Write(Redactor.Redact(buffer.ToString()));
        }
    }
}
