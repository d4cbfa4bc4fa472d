using System.Text.Encodings.Web;
using System.Text.Json;

namespace StripeMcp;

/// <summary>
/// JSON as agents and people read it: quotes, apostrophes, &lt;, &gt;, &amp; and non-ASCII letters are
/// written as themselves (<c>No such customer: 'cus_x'</c>), not as <c>\u0027</c>. Nothing we write is
/// embedded in HTML; control characters, quotes and backslashes are still escaped, so it stays valid JSON.
/// </summary>
internal static class PlainJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true };

    public static readonly JsonWriterOptions Writer = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
