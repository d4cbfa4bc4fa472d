using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace StripeMcp.Stdio;

/// <summary>
/// One stdin line as the MCP server reads it: a JSON-RPC message for the SDK, or the error answer the line gets
/// instead (JSON-RPC 2.0 §5.1), so no line leaves a client waiting: not JSON is -32700 (parse error), a batch
/// (MCP removed batching in 2025-06-18) or any other JSON that is not a message is -32600 (invalid request),
/// with the line's id where one can be read, else null. Every escaped lone surrogate (<c>"\uD800"</c> without
/// its pair) becomes <c>"\uFFFD"</c> first: the SDK cannot read one and would fail the whole call with a bare
/// "An error occurred." before any tool runs, unaudited; as U+FFFD it reaches the tool, whose validation
/// refuses it by name (invalid bytes arrive as U+FFFD too).
/// </summary>
internal static partial class StdioInput
{
    /// <summary>How deep the SDK reads JSON (System.Text.Json's default); deeper is its parse error.</summary>
    private const int SdkDepth = 64;

    public const int ParseError = -32700, InvalidRequest = -32600;

    /// <summary>The message on <paramref name="line"/>, or null and the <paramref name="refusal"/> to answer.</summary>
    public static JsonRpcMessage? Parse(string line, out JsonRpcError? refusal)
    {
        refusal = null;
        line = Mend(line);
        try
        {
            if (JsonSerializer.Deserialize(line, McpJsonUtilities.DefaultOptions.GetTypeInfo(typeof(JsonRpcMessage))) is JsonRpcMessage message)
                return message;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            refusal = Refusal(line, e);
            return null;
        }
        refusal = Error(default, InvalidRequest, "Invalid Request: a JSON-RPC message is a JSON object."); // the line was `null`
        return null;
    }

    private static JsonRpcError Refusal(string line, Exception e)
    {
        var (shape, id, depth) = Scan(line);
        return shape switch
        {
            Shape.NotJson => Error(id, ParseError, "Parse error: the line is not valid JSON."),
            Shape.Array => Error(default, InvalidRequest, "Invalid Request: JSON-RPC batches are not supported (MCP removed them in 2025-06-18); send one message per line."),
            Shape.Scalar => Error(default, InvalidRequest, "Invalid Request: a JSON-RPC message is a JSON object."),
            _ when depth >= SdkDepth => Error(id, ParseError, $"Parse error: JSON nested deeper than {SdkDepth} levels is not read."),
            _ => Error(id, InvalidRequest, $"Invalid Request: {FirstSentence(e.Message)}"),
        };
    }

    private static JsonRpcError Error(RequestId id, int code, string message) =>
        new() { Id = id, Error = new JsonRpcErrorDetail { Code = code, Message = message } };

    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].TrimEnd('.') + ".";

    private enum Shape { NotJson, Object, Array, Scalar }

    /// <summary>What the line is, the top-level object's id (a string or an integer) if one was read before any error, and how deep it goes.</summary>
    private static (Shape Shape, RequestId Id, int Depth) Scan(string line)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(line), new JsonReaderOptions { MaxDepth = int.MaxValue });
        RequestId id = default;
        var depth = 0;
        var shape = Shape.NotJson;
        try
        {
            if (!reader.Read()) return (Shape.NotJson, id, 0);
            var top = reader.TokenType switch { JsonTokenType.StartObject => Shape.Object, JsonTokenType.StartArray => Shape.Array, _ => Shape.Scalar };
            while (reader.Read())
            {
                depth = Math.Max(depth, reader.CurrentDepth);
                if (top == Shape.Object && reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8) && reader.Read())
                    id = reader.TokenType switch
                    {
                        JsonTokenType.String => new RequestId(reader.GetString()!),
                        JsonTokenType.Number when reader.TryGetInt64(out var n) => new RequestId(n),
                        _ => id,
                    };
            }
            shape = top;
        }
        catch (JsonException)
        {
        }
        return (shape, id, depth);
    }

    public static string Mend(string json) =>
        json.Contains("\\u", StringComparison.Ordinal) ? LoneSurrogate().Replace(json, @"\uFFFD") : json;

    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();
}
