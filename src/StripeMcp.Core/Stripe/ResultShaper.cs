using System.Buffers;
using System.Text.Json;

namespace StripeMcp.Stripe;

/// <summary>
/// Turns Stripe's JSON into what the agent gets: the whole object, compacted (null values and
/// empty objects/arrays dropped, every other field kept), and for lists the cursor of the next
/// page spelled out. One pass over the answer the gateway parsed; nothing is parsed twice.
/// </summary>
internal static class ResultShaper
{
    /// <summary>The most a tool result may carry, compacted (the MCP message holds it twice: text and structuredContent).</summary>
    public const int MaxResultBytes = 1024 * 1024;

    /// <summary>The compacted JSON of one Stripe object (the gateway has checked it is one) as UTF-8 bytes.</summary>
    public static byte[] Shape(JsonElement root)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, PlainJson.Writer))
        {
            writer.WriteStartObject();
            var isList = root.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() is "list" or "search_result";
            foreach (var p in root.EnumerateObject())
            {
                // An empty page still says so: a list keeps its data array.
                if (isList && p.NameEquals("data") && p.Value.ValueKind == JsonValueKind.Array)
                {
                    writer.WritePropertyName(p.Name);
                    writer.WriteStartArray();
                    foreach (var item in p.Value.EnumerateArray()) if (!IsEmpty(item)) Write(writer, item);
                    writer.WriteEndArray();
                }
                else if (!IsEmpty(p.Value))
                {
                    writer.WritePropertyName(p.Name);
                    Write(writer, p.Value);
                }
            }
            if (isList && NextCursor(root) is { } cursor) writer.WriteString("next_starting_after", cursor);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>For a list with more pages (and no search next_page of its own): the id of its last item.</summary>
    private static string? NextCursor(JsonElement list) =>
        list.TryGetProperty("has_more", out var more) && more.ValueKind == JsonValueKind.True
        && !list.TryGetProperty("next_page", out _)
        && list.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
        && data[data.GetArrayLength() - 1].TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            ? id.GetString() : null;

    /// <summary>Null, or an object/array that holds nothing but empties, all the way down.</summary>
    private static bool IsEmpty(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => true,
        JsonValueKind.Object => e.EnumerateObject().All(p => IsEmpty(p.Value)),
        JsonValueKind.Array => e.EnumerateArray().All(IsEmpty),
        _ => false,
    };

    private static void Write(Utf8JsonWriter writer, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in e.EnumerateObject())
                {
                    if (IsEmpty(p.Value)) continue;
                    writer.WritePropertyName(p.Name);
                    Write(writer, p.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in e.EnumerateArray()) if (!IsEmpty(item)) Write(writer, item);
                writer.WriteEndArray();
                break;
            default:
                e.WriteTo(writer);
                break;
        }
    }
}
