using System.Collections;
using System.Reflection;
using StripeMcp.Configuration;
using StripeMcp.Tools;
using StripeMcp.Api;

namespace StripeMcp.Policy;

/// <summary>
/// Reads are gated by what they return: every object an <c>expand</c> path would embed (each expandable field it
/// crosses, read from Stripe.net's own models) must be of a resource the caller may read, or the call is refused
/// before anything is sent. Fields Stripe embeds in an allowed object anyway (an invoice's customer_email) are the
/// allowed object's; whole objects of another resource are that resource's. A path whose objects cannot be named
/// (an unknown field, a polymorphic source) is refused: what the gate does not know it does not allow.
/// </summary>
internal static class ApiExpand
{
    public const string Argument = "expand";

    /// <summary>Why this caller may not expand these paths on this call, or null when it may.</summary>
    public static string? Refusal(ToolDefinition tool, IEnumerable<string> paths, ServerOptions options)
    {
        var op = ApiCatalog.ByKey(tool.Operation);
        foreach (var path in paths)
        {
            if (op is null) return $"expand: {tool.Name} cannot expand objects";
            var (resources, problem) = Resources(op.ServiceMethod.ReturnType, path);
            if (problem is not null) return $"expand: \"{LogText.Safe(path, 80)}\" {problem}; nothing was sent";
            foreach (var resource in resources)
                if (!CanRead(resource, options))
                    return $"expand: \"{LogText.Safe(path, 80)}\" would embed {resource} objects, which this caller may not read ({resource}.read is not allowed, or every read of it is denied); nothing was sent";
        }
        return null;
    }

    /// <summary>Whether the caller may read a resource's objects: its read is allowed and some read of it (typed or generic) is not denied.</summary>
    private static bool CanRead(string resource, ServerOptions options) =>
        options.Permissions.Contains(resource + ".read")
        && (ToolPolicy.Enabled(options).Any(t => t.Resource == resource && t.ReadOnly)
            || ApiCatalog.All.Any(op => op.Resource == resource && op.ReadOnly && ToolPolicy.IsEnabled(op, options)));

    /// <summary>The resources of the objects a path embeds, in order, or why it cannot be named.</summary>
    internal static (List<string> Resources, string? Problem) Resources(Type from, string path)
    {
        var resources = new List<string>();
        var type = Unwrap(from);
        var segments = path.Split('.');
        if (segments.Length > 4) return (resources, "is deeper than Stripe expands (4 levels)");
        foreach (var segment in segments)
        {
            if (List(type) is { } item)
            {
                if (segment != "data") return (resources, $"names \"{segment}\" on a list (only data.… is expandable there)");
                type = item;
                continue;
            }
            var property = type.GetProperties(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
                .FirstOrDefault(p => p.GetCustomAttribute<Newtonsoft.Json.JsonPropertyAttribute>()?.PropertyName == segment);
            if (property is null) return (resources, $"names a field \"{segment}\" that {type.Name} does not have");
            var t = property.PropertyType;
            var expandable = Expandable(t) ?? (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? Expandable(t.GetGenericArguments()[0]) : null);
            if (expandable is not null)
            {
                if (ResourceOf(expandable) is not { } resource) return (resources, $"would embed {expandable.Name} objects, which no permission names");
                resources.Add(resource);
                type = expandable;
            }
            else type = Unwrap(t);
        }
        return (resources, null);
    }

    private static Type? Expandable(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition().Name.StartsWith("ExpandableField", StringComparison.Ordinal) ? t.GetGenericArguments()[0] : null;

    private static Type? List(Type t) =>
        t.IsGenericType && (t.GetGenericTypeDefinition().Name.StartsWith("StripeList", StringComparison.Ordinal) || t.GetGenericTypeDefinition().Name.StartsWith("StripeSearchResult", StringComparison.Ordinal))
            ? t.GetGenericArguments()[0] : null;

    /// <summary>A property's object type: the element of a plain list, the type itself otherwise.</summary>
    private static Type Unwrap(Type t)
    {
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Task<>)) t = t.GetGenericArguments()[0];
        return t != typeof(string) && t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t) && List(t) is null && t.GetGenericArguments() is [var item] ? item : t;
    }

    /// <summary>The resource of a Stripe object type: that of the operation that retrieves one by id (GET /v1/customers/{customer} → customers).</summary>
    private static string? ResourceOf(Type entity) => Retrievers.Value.GetValueOrDefault(entity);

    private static readonly Lazy<Dictionary<Type, string>> Retrievers = new(() =>
    {
        var map = new Dictionary<Type, string>();
        foreach (var op in ApiCatalog.All.Where(o => o.ReadOnly && o.Holes.Count >= 1 && o.Path.EndsWith('}')).OrderBy(o => o.Holes.Count))
            map.TryAdd(op.ServiceMethod.ReturnType, op.Resource);
        return map;
    });
}
