using System.Text.Json;
using System.Text.Json.Nodes;

namespace StripeMcp.Stripe;

/// <summary>
/// Turns Stripe's JSON into what the agent gets: the whole object, compacted (null values and
/// empty objects/arrays dropped, every other field kept), and for lists the cursor of the next
/// page spelled out.
/// </summary>
public static class ResultShaper
{
    public static JsonObject Shape(string stripeJson)
    {
        var node = JsonNode.Parse(stripeJson) as JsonObject
            ?? throw new JsonException("Stripe returned JSON that is not an object");
        Compact(node);
        if (IsList(node))
        {
            // An empty page still says so: a list keeps its data array.
            node["data"] ??= new JsonArray();
            if (node["has_more"]?.GetValue<bool>() == true && node["data"] is JsonArray { Count: > 0 } data
                && data[^1]?["id"] is JsonValue lastId && node["next_page"] is null)
                node["next_starting_after"] = lastId.DeepClone();
        }
        return node;
    }

    private static bool IsList(JsonObject o) => o["object"] is JsonValue v && v.GetValue<string>() is "list" or "search_result";

    /// <summary>Removes nulls and empty containers, depth first (a container that only held nulls goes too).</summary>
    public static void Compact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    Compact(child);
                    if (IsEmpty(child)) obj.Remove(key);
                }
                break;
            case JsonArray arr:
                for (var i = arr.Count - 1; i >= 0; i--)
                {
                    Compact(arr[i]);
                    if (IsEmpty(arr[i])) arr.RemoveAt(i);
                }
                break;
        }
    }

    private static bool IsEmpty(JsonNode? n) => n is null || n is JsonObject { Count: 0 } || n is JsonArray { Count: 0 };
}
