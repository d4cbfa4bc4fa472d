using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace StripeMcp.Hosting;

// Logging is deprecated from protocol 2026-07-28 (SEP-2577); the handshake protocols before it still have it.
#pragma warning disable MCP9005

/// <summary>
/// notifications/message for the stdio client. The SDK advertises logging on every handshake protocol, so it is
/// real here: after logging/setLevel the client gets the server's own log events (StripeMcp.*, audit lines
/// included) at or above its level, each as stderr has it (values escaped and cut, secrets masked), without the
/// timestamp. Nothing is sent before setLevel, and only what --log-level lets the server log exists to be sent.
/// Not on HTTP: one process serves many tokens there, and its log belongs to none of them.
/// </summary>
internal sealed class ClientLog : ILogEventSink
{
    private static readonly SafeLogFormatter Formatter = new(new MessageTemplateTextFormatter("{Message:lj}{NewLine}{Exception}"));

    private McpServer? _server;

    public void Attach(McpServer server) => _server = server;

    public void Emit(LogEvent e)
    {
        if (_server is not { LoggingLevel: { } wanted } server) return;
        if (e.Properties.GetValueOrDefault(Serilog.Core.Constants.SourceContextPropertyName) is not ScalarValue { Value: string source }
            || !source.StartsWith("StripeMcp", StringComparison.Ordinal)) return;
        var level = Level(e.Level);
        if (level < wanted) return;
        using var text = new StringWriter();
        Formatter.Format(e, text);
        _ = SendAsync(server, new LoggingMessageNotificationParams
        {
            Level = level,
            Logger = source,
            Data = JsonSerializer.SerializeToElement(text.ToString().TrimEnd(), McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(string))),
        });
    }

    private static async Task SendAsync(McpServer server, LoggingMessageNotificationParams message)
    {
        try
        {
            await server.SendNotificationAsync(NotificationMethods.LoggingMessageNotification, message, McpJsonUtilities.DefaultOptions);
        }
        catch (Exception)
        {
            // The client is gone or stdout is closed: a log line is not worth failing anything for.
        }
    }

    private static LoggingLevel Level(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => LoggingLevel.Debug,
        LogEventLevel.Information => LoggingLevel.Info,
        LogEventLevel.Warning => LoggingLevel.Warning,
        LogEventLevel.Error => LoggingLevel.Error,
        _ => LoggingLevel.Critical,
    };
}
