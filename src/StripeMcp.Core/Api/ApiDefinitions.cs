using System.Collections.Concurrent;
using StripeMcp.Tools;

namespace StripeMcp.Api;

/// <summary>
/// An operation of the catalog as a row of the dispatch table, so that a generic call goes through exactly
/// the pipeline of a typed tool (StripeTool: validation, account, limits, confirmation, dry run, gateway,
/// audit). Path holes are required ids; the options class's properties are the only other arguments.
/// </summary>
internal static class ApiDefinitions
{
    private static readonly ConcurrentDictionary<string, ToolDefinition> Cache = new();

    public static ToolDefinition For(ApiOperation op) => Cache.GetOrAdd(op.Id, _ => Build(op));

    private static ToolDefinition Build(ApiOperation op)
    {
        var hints = op.ReadOnly ? Hints.ReadOnly | Hints.Idempotent : op.Destructive ? Hints.Destructive : Hints.Write;
        var holes = op.Holes.Select(h => (Param)new IdParam(h, $"The {h.Replace('_', ' ')} (an id) in the path.", Required: true));
        var fields = op.Parameters.Where(p => !op.Holes.Contains(p.Name)).Select(ToParam);
        var definition = new ToolDefinition(op.Id, op.Permission, op.Id, op.Summary ?? "", op.Method, op.Path, hints, [.. holes, .. fields])
        {
            ReturnsAs = op.TypedTool?.Returns ?? Returns(op.ServiceMethod.ReturnType),
        };
        return definition.WithCallerKey();
    }

    /// <summary>The "object" Stripe answers with: a list, a search result, or some object (Stripe.net's entity types do not name theirs).</summary>
    private static string Returns(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition().Name.StartsWith("StripeList", StringComparison.Ordinal) ? "list"
        : t.IsGenericType && t.GetGenericTypeDefinition().Name.StartsWith("StripeSearchResult", StringComparison.Ordinal) ? "search_result"
        : ToolDefinition.AnyObject;

    private static Param ToParam(ApiParameter p)
    {
        var description = p.Description ?? "";
        return p.Type switch
        {
            "string" => new StringParam(p.Name, description, Enum: p.Enum),
            "integer" => new IntParam(p.Name, description, Minimum: long.MinValue),
            "timestamp" => new IntParam(p.Name, description),
            "number" => new NumberParam(p.Name, description, Minimum: double.MinValue),
            "boolean" => new BoolParam(p.Name, description),
            "map" when p.Items is { Type: not "string" } value => new MapParam(p.Name, description, ToParam(value)),
            "map" => new MetadataParam(p.Name, description),
            // Stripe's *_decimal parameters: a decimal string (up to 12 decimal places) or a number.
            "decimal" => new DecimalParam(p.Name, description),
            "object" => new ObjectParam(p.Name, description, [.. (p.Properties ?? []).Select(ToParam)]),
            "array" => new ArrayParam(p.Name, description, ToParam(p.Items!), MaxItems: 250),
            "anyOf" => new AnyOfParam(p.Name, description, [.. (p.AnyOf ?? []).Select(ToParam)]),
            _ => new StringParam(p.Name, description),
        };
    }
}
