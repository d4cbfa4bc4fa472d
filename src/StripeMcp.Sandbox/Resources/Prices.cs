using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Prices: one-time and recurring; create (with product_data), retrieve, update, list, search.</summary>
internal static partial class Core
{
    private static void RegisterPrices(Router r)
    {
        r.Post("/v1/prices", CreatePrice)
         .Get("/v1/prices/search", c => Lists.Search(c, c.All("price"), PriceSearch))
         .Get("/v1/prices/{id}", c => c.Get("price", c.Id))
         .Post("/v1/prices/{id}", UpdatePrice)
         .Get("/v1/prices", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active", "currency", "product", "type", "lookup_keys", "recurring"]);
             var items = c.All("price").Where(c.P, "active", "currency", "product", "type");
             var keys = c.P.Strings("lookup_keys").ToHashSet();
             if (keys.Count > 0) items = items.Where(o => keys.Contains(Lists.Text(o["lookup_key"]) ?? ""));
             if (c.P.Obj("recurring")?.Str("interval") is { } interval) items = items.Where(o => Lists.Text(o["recurring"]?["interval"]) == interval);
             return Lists.Page(c, items);
         });
    }

    private static JsonObject CreatePrice(Call c)
    {
        var p = c.P;
        p.Allow("product", "product_data", "currency", "unit_amount", "unit_amount_decimal", "recurring", "nickname", "lookup_key", "active", "metadata", "tax_behavior", "billing_scheme", "transfer_lookup_key");
        string productId;
        if (p.Str("product") is { } pid) productId = c.Get("product", pid, "product")["id"]!.GetValue<string>();
        else if (p.Obj("product_data") is { } pd)
        {
            pd.Allow("name", "active", "metadata", "statement_descriptor", "unit_label", "tax_code");
            productId = c.State.NewId("prod", 14);
            c.Create("product", NewProduct(c, productId, pd));
        }
        else throw StripeError.ParamMissing("product");
        return NewPrice(c, p, productId);
    }

    private static JsonObject NewPrice(Call c, P p, string productId)
    {
        var currency = Currency(p);
        var amount = p.Int("unit_amount");
        if (amount is null && p.Dec("unit_amount_decimal") is { } dec) amount = (long)decimal.Round(dec);
        if (amount is null) throw StripeError.ParamMissing(p.Name("unit_amount"));
        if (amount < 0) throw StripeError.Invalid("This value must be greater than or equal to 0.", p.Name("unit_amount"));
        JsonObject? recurring = null;
        if (p.Obj("recurring") is { } r)
        {
            r.Allow("interval", "interval_count", "usage_type", "meter");
            var interval = r.Enum("interval", "day", "week", "month", "year") ?? throw StripeError.ParamMissing(r.Name("interval"));
            var count = r.Int("interval_count") ?? 1;
            var maxCount = interval switch { "day" => 365, "week" => 52, "month" => 12, _ => 1 };
            if (count < 1 || count > maxCount)
                throw StripeError.Invalid($"Invalid recurring[interval_count]: the maximum is one year ({maxCount} {interval}s).", r.Name("interval_count"));
            recurring = new JsonObject
            {
                ["interval"] = interval, ["interval_count"] = count, ["meter"] = r.Str("meter"),
                ["usage_type"] = r.Enum("usage_type", "licensed", "metered") ?? "licensed",
            };
        }
        var lookupKey = p.Str("lookup_key");
        if (lookupKey is not null && c.All("price").Any(o => Lists.Text(o["lookup_key"]) == lookupKey))
            throw StripeError.Invalid($"A price (`{c.All("price").First(o => Lists.Text(o["lookup_key"]) == lookupKey)["id"]}`) already uses the lookup key `{lookupKey}`.", "lookup_key");
        var price = new JsonObject
        {
            ["id"] = c.State.NewId("price"),
            ["object"] = "price",
            ["active"] = p.Bool("active") ?? true,
            ["billing_scheme"] = "per_unit",
            ["created"] = c.Now,
            ["currency"] = currency,
            ["custom_unit_amount"] = null,
            ["livemode"] = false,
            ["lookup_key"] = lookupKey,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["nickname"] = p.Str("nickname"),
            ["product"] = productId,
            ["recurring"] = recurring,
            ["tax_behavior"] = p.Enum("tax_behavior", "inclusive", "exclusive", "unspecified") ?? "unspecified",
            ["tiers_mode"] = null,
            ["transform_quantity"] = null,
            ["type"] = recurring is null ? "one_time" : "recurring",
            ["unit_amount"] = amount,
            ["unit_amount_decimal"] = amount.Value.ToString(CultureInfo.InvariantCulture),
        };
        return c.Create("price", price);
    }

    private static JsonObject UpdatePrice(Call c)
    {
        var p = c.P;
        p.Allow("active", "nickname", "lookup_key", "metadata", "tax_behavior", "transfer_lookup_key");
        var price = c.Get("price", c.Id);
        if (p.Bool("active") is { } active) price["active"] = active;
        if (p.Has("nickname")) price["nickname"] = p.IsEmpty("nickname") ? null : p.Str("nickname");
        if (p.Has("lookup_key")) price["lookup_key"] = p.IsEmpty("lookup_key") ? null : p.Str("lookup_key");
        if (p.Enum("tax_behavior", "inclusive", "exclusive", "unspecified") is { } tb) price["tax_behavior"] = tb;
        if (p.Metadata() is { } md) Merge(price, md);
        c.Emit("price.updated", price);
        return price;
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> PriceSearch = new()
    {
        ["active"] = o => o["active"], ["currency"] = o => o["currency"], ["lookup_key"] = o => o["lookup_key"],
        ["product"] = o => o["product"], ["type"] = o => o["type"], ["created"] = o => o["created"],
    };
}
