using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payments: registers the routes of payment intents, charges, refunds, disputes, payment methods, setup intents, checkout sessions and payment links (one file each) and holds what they share.</summary>
internal static partial class Payments
{
    public static void Register(Router r)
    {
        RegisterPaymentIntents(r);
        RegisterCharges(r);
        RegisterRefunds(r);
        RegisterDisputes(r);
        RegisterPaymentMethods(r);
        RegisterSetupIntents(r);
        RegisterCheckoutSessions(r);
        RegisterPaymentLinks(r);
    }

    private static JsonObject ErrorObject(StripeError e)
    {
        var o = e.ToJson()["error"]!.AsObject();
        o.Remove("payment_intent");
        return (JsonObject)o.DeepClone();
    }

    public static string Money(long amount, string currency) =>
        currency is "jpy" or "krw" ? $"{amount} {currency.ToUpperInvariant()}" : $"${amount / 100m:0.00}";

    // Line items as checkout sessions and payment links take them: line_items[i][price] and [quantity].
    private sealed record Line(JsonObject Price, long Quantity);

    private static List<Line> LineItems(Call c, P p, string key, bool required)
    {
        var lines = p.Arr(key).Select(li =>
        {
            li.Allow("price", "quantity", "adjustable_quantity", "price_data");
            var price = c.Get("price", li.Req("price"), li.Name("price"));
            if (price["active"]?.GetValue<bool>() == false) throw StripeError.Invalid($"The price specified ({price["id"]}) is inactive. This field only accepts active prices.", li.Name("price"));
            var quantity = li.Int("quantity") ?? throw StripeError.ParamMissing(li.Name("quantity"));
            if (quantity < 1) throw StripeError.Invalid("Quantity must be at least 1.", li.Name("quantity"));
            return new Line(price, quantity);
        }).ToList();
        if (required && lines.Count == 0) throw StripeError.ParamMissing($"{key}");
        if (lines.Select(l => l.Price["currency"]!.GetValue<string>()).Distinct().Count() > 1)
            throw StripeError.Invalid("All prices must be in the same currency.", key);
        return lines;
    }

    private static long Amount(Line l) => l.Price["unit_amount"]!.Long() * l.Quantity;
}
