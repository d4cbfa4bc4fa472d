using System.Text;

namespace StripeMcp;

/// <summary>
/// Text that reaches a log: control characters escaped (so an argument or tool name holding a newline
/// cannot forge a log line) and long values cut (so a refused 5 MiB argument is not a 5 MiB log line).
/// </summary>
internal static class LogText
{
    /// <summary>The most characters one logged value keeps.</summary>
    public const int MaxValueChars = 2000;

    public static string Escape(string s)
    {
        if (!s.Any(char.IsControl)) return s;
        var sb = new StringBuilder(s.Length + 16);
        foreach (var c in s)
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>Escaped and cut to <paramref name="max"/> characters, saying how much was cut.</summary>
    public static string Safe(string s, int max = MaxValueChars)
    {
        var cut = s.Length > max ? s[..max] : s;
        var escaped = Escape(cut);
        return s.Length > max ? $"{escaped}… (cut: {s.Length:N0} characters in all)" : escaped;
    }
}
