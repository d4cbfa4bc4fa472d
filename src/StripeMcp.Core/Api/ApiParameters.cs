using System.Collections;
using System.Reflection;
using System.Text.Json.Nodes;

namespace StripeMcp.Api;

/// <summary>
/// One parameter of an operation, as its options class in Stripe.net declares it: the form name
/// (Newtonsoft's <c>[JsonProperty]</c>, which Stripe.net's encoder sends), a type, allowed values when the
/// documentation lists them, and the shape of nested objects and lists.
/// </summary>
internal sealed record ApiParameter(string Name, string Type, string? Description, IReadOnlyList<string>? Enum = null,
    IReadOnlyList<ApiParameter>? Properties = null, ApiParameter? Items = null, IReadOnlyList<ApiParameter>? AnyOf = null)
{
    public JsonObject ToJson()
    {
        var o = new JsonObject { ["name"] = Name, ["type"] = Type };
        if (Description is { Length: > 0 }) o["description"] = Description;
        if (Enum is { Count: > 0 }) o["enum"] = new JsonArray([.. Enum.Select(e => (JsonNode)e)]);
        if (Properties is { Count: > 0 }) o["properties"] = new JsonArray([.. Properties.Select(p => (JsonNode)p.ToJson())]);
        if (Items is not null) o["items"] = Items.ToJson();
        if (AnyOf is { Count: > 0 }) o["anyOf"] = new JsonArray([.. AnyOf.Select(p => (JsonNode)p.ToJson())]);
        return o;
    }
}

/// <summary>The parameters of an options class, read by reflection; descriptions from the package's XML documentation.</summary>
internal static class ApiParameters
{
    private const int MaxDepth = 6;

    /// <param name="depth">How deep nested objects are described (the documentation index needs the first levels only).</param>
    public static IReadOnlyList<ApiParameter> Of(Type? options, int depth = MaxDepth) => options is null ? [] : Properties(options, [], MaxDepth - depth);

    /// <summary>A class's form fields by name, read by reflection once per class (many options classes share nested ones).</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Named = new();

    private static (PropertyInfo Property, string Name)[] NamedProperties(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Name: p.GetCustomAttribute<Newtonsoft.Json.JsonPropertyAttribute>()?.PropertyName))
            .Where(p => p.Name is { Length: > 0 })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => (p.Property, p.Name!))];

    private static IReadOnlyList<ApiParameter> Properties(Type type, HashSet<Type> open, int depth)
    {
        if (depth > MaxDepth || !open.Add(type)) return [];
        try
        {
            return [.. Named.GetOrAdd(type, NamedProperties).Select(p => Describe(p.Name, p.Property.PropertyType, XmlDocs.Property(p.Property), open, depth))];
        }
        finally
        {
            open.Remove(type);
        }
    }

    private static ApiParameter Describe(string name, Type type, string? doc, HashSet<Type> open, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var (description, values) = XmlDocs.Split(doc);
        if (type == typeof(string)) return new(name, "string", description, values);
        if (type == typeof(long) || type == typeof(int)) return new(name, "integer", description);
        if (type == typeof(decimal)) return new(name, "decimal", description);
        if (type == typeof(double) || type == typeof(float)) return new(name, "number", description);
        if (type == typeof(bool)) return new(name, "boolean", description);
        if (type == typeof(DateTime) || type == typeof(DateTimeOffset)) return new(name, "timestamp", description + " (Unix time in seconds)");
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            return new(name, "map", description, Items: Describe("value", type.GetGenericArguments()[1], null, open, depth + 1));
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var item])
            return new(name, "array", description, Items: Describe("item", item, null, open, depth + 1));
        if (type.Name.StartsWith("AnyOf`", StringComparison.Ordinal))
            return new(name, "anyOf", description, values, AnyOf: [.. type.GetGenericArguments().Select(t => Describe(name, t, null, open, depth + 1))]);
        // A string enum class (SubscriptionScheduleStartDate.Now, PlanTierUpTo.Inf …): its static instances are its values.
        if (type.IsSubclassOf(typeof(global::Stripe.StringEnum)))
            return new(name, "string", description, [.. type.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.FieldType == type).Select(f => ((global::Stripe.StringEnum)f.GetValue(null)!).Value).Order(StringComparer.Ordinal)]);
        if (type.IsClass && type.Namespace?.StartsWith("Stripe", StringComparison.Ordinal) == true)
            return new(name, "object", description, Properties: Properties(type, open, depth + 1));
        return new(name, "string", description, values);
    }
}
