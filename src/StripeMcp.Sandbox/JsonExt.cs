using System.Text.Json;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

internal static class JsonExt
{
    /// <summary>A number as long, whether it was stored as int, long or parsed JSON.</summary>
    public static long Long(this JsonNode node) => node.GetValueKind() == JsonValueKind.Number
        ? node.AsValue().TryGetValue<long>(out var l) ? l
          : node.AsValue().TryGetValue<int>(out var i) ? i
          : node.AsValue().TryGetValue<JsonElement>(out var e) ? e.GetInt64()
          : Convert.ToInt64(node.AsValue().GetValue<object>(), System.Globalization.CultureInfo.InvariantCulture)
        : throw new InvalidOperationException($"not a number: {node.ToJsonString()}");
}
