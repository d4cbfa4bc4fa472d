using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace StripeMcp;

/// <summary>
/// What every log line passes through, stderr and audit file alike: each value escaped and cut
/// (<see cref="LogText"/>), lines after an event's first indented (an exception's message cannot
/// start a line that looks like a new event), and secrets masked.
/// </summary>
internal sealed class SafeLogFormatter(ITextFormatter inner) : ITextFormatter
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
