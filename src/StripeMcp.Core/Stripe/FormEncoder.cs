using System.Text;
using System.Text.Json;

namespace StripeMcp.Stripe;

/// <summary>
/// Stripe's v1 wire format from validated JSON arguments: nested objects as <c>a[b][c]=v</c>,
/// arrays as <c>items[0][price]=v</c>, booleans as <c>true</c>/<c>false</c>; nulls are left out.
/// </summary>
internal static class FormEncoder
{
    public static string Encode(IEnumerable<KeyValuePair<string, JsonElement>> fields)
    {
        var sb = new StringBuilder();
        foreach (var (name, value) in fields) Append(sb, name, value);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string key, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject()) Append(sb, $"{key}[{p.Name}]", p.Value);
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in value.EnumerateArray()) Append(sb, $"{key}[{i++}]", item);
                break;
            case JsonValueKind.Null or JsonValueKind.Undefined:
                break;
            default:
                if (sb.Length > 0) sb.Append('&');
                sb.Append(Escape(key)).Append('=').Append(Uri.EscapeDataString(Scalar(value)));
                break;
        }
    }

    private static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => v.GetString()!,
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => v.GetRawText(), // numbers exactly as the client wrote them (validated before)
    };

    // Keep Stripe's brackets readable on the wire, escape everything else.
    private static string Escape(string key) => Uri.EscapeDataString(key).Replace("%5B", "[").Replace("%5D", "]");
}
