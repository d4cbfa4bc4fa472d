using System.Collections.Concurrent;
using StripeMcp.Tools;

namespace StripeMcp.Api;

/// <summary>
/// An operation of the catalog as a row of the dispatch table, so that a generic call goes through exactly
/// the pipeline of a typed tool (StripeTool: validation, account, limits, confirmation, dry run, gateway,
/// audit). Path holes are required ids; the options class's properties are the only other arguments.
/// </summary>
public static class ApiDefinitions
{
    private static readonly ConcurrentDictionary<string, ToolDefinition> Cache = new();

    public static ToolDefinition For(ApiOperation op) => Cache.GetOrAdd(op.Id, _ => Build(op));

    private static ToolDefinition Build(ApiOperation op)
    {
        var hints = op.ReadOnly ? Hints.ReadOnly | Hints.Idempotent : op.Destructive ? Hints.Destructive : Hints.None;
        var holes = op.Holes.Select(h => (Param)new IdParam(h, $"The {h.Replace('_', ' ')} (an id) in the path.", Required: true));
        var fields = op.Parameters.Where(p => !op.Holes.Contains(p.Name)).Select(ToParam);
        var definition = new ToolDefinition(op.Id, op.Permission, op.Id, op.Summary ?? "", op.Method, op.Path, hints, [.. holes, .. fields])
        {
            Money = op.TypedTool?.Money,
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
            "map" => new MetadataParam(p.Name, description),
            "object" => new ObjectParam(p.Name, description, [.. (p.Properties ?? []).Select(ToParam)]),
            "array" => new ArrayParam(p.Name, description, ToParam(p.Items!), MaxItems: 250),
            "anyOf" => new AnyOfParam(p.Name, description, [.. (p.AnyOf ?? []).Select(ToParam)]),
            _ => new StringParam(p.Name, description),
        };
    }

    /// <summary>
    /// Whether a call of this operation may move money that no rule can measure: no typed tool's rule says how
    /// much it moves, and either its resource is not one known to move none (accepting a quote bills the
    /// customer with no amount among its parameters), or its parameters (at any depth) name an amount, a
    /// price or a quantity. Reads never do.
    /// </summary>
    public static bool MayMoveUnmeasuredMoney(ApiOperation op) =>
        !op.ReadOnly && op.TypedTool?.Money is null
        && (op.Method != HttpMethod.Delete && !MovesNoMoney.Contains(op.Resource) || op.Parameters.Any(Moves));

    /// <summary>Resources whose writes set things up but never charge, pay out or owe (checked further by their parameters).</summary>
    private static readonly HashSet<string> MovesNoMoney =
    [
        "customers", "customerTaxIds", "taxIds", "taxRates", "taxRegistrations", "taxSettings", "products", "productFeatures", "entitlementsFeatures",
        "shippingRates", "webhookEndpoints", "billingMeters", "billingMeterEventAdjustments", "billingAlerts", "billingPortalConfigurations",
        "paymentMethods", "paymentMethodDomains", "paymentMethodConfigurations", "setupIntents", "testClocks", "accountPersons",
        "accountExternalAccounts", "accountCapabilities", "radarValueLists", "radarValueListItems", "reviews", "fileLinks",
        "terminalLocations", "terminalConfigurations", "identityVerificationSessions", "invoiceRenderingTemplates",
    ];

    private static bool Moves(ApiParameter p) =>
        p.Name.Contains("amount", StringComparison.Ordinal) || p.Name is "price" or "quantity" or "price_data" or "line_items"
        || (p.Properties ?? []).Any(Moves) || (p.Items is { } i && Moves(i)) || (p.AnyOf ?? []).Any(Moves);
}
