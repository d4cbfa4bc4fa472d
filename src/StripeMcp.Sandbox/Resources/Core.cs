using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Core resources: registers the routes of customers, products, prices, coupons and promotion codes (one file each) and holds the helpers every resource uses: addresses, metadata merges, currencies.</summary>
internal static partial class Core
{
    public static void Register(Router r)
    {
        RegisterCustomers(r);
        RegisterProducts(r);
        RegisterPrices(r);
        RegisterCoupons(r);
        RegisterPromotionCodes(r);
    }

    public static JsonObject Address(P a)
    {
        a.Allow("line1", "line2", "city", "state", "postal_code", "country");
        return new JsonObject
        {
            ["city"] = a.Str("city"), ["country"] = a.Str("country"), ["line1"] = a.Str("line1"),
            ["line2"] = a.Str("line2"), ["postal_code"] = a.Str("postal_code"), ["state"] = a.Str("state"),
        };
    }

    /// <summary>Stripe merges metadata: keys set to "" are removed.</summary>
    public static void Merge(JsonObject obj, JsonObject metadata)
    {
        var target = obj["metadata"] as JsonObject ?? new JsonObject();
        if (metadata.Count == 0) target.Clear();
        foreach (var (k, v) in metadata)
        {
            if (v?.GetValue<string>() == "") target.Remove(k);
            else target[k] = v?.DeepClone();
        }
        obj["metadata"] = target;
    }

    public static string Currency(P p, string key = "currency")
    {
        var currency = p.Str(key) ?? throw StripeError.ParamMissing(p.Name(key));
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
            throw StripeError.Invalid($"Invalid currency: {currency}. Stripe currently supports these currencies: usd, eur, gbp, jpy, …", p.Name(key));
        return currency.ToLowerInvariant();
    }
}
