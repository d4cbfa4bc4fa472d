using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Products: create (with a default price), retrieve, update, delete, list, search.</summary>
internal static partial class Core
{
    private static void RegisterProducts(Router r)
    {
        r.Post("/v1/products", CreateProduct)
         .Get("/v1/products/search", c => Lists.Search(c, c.All("product"), ProductSearch))
         .Get("/v1/products/{id}", c => c.Get("product", c.Id))
         .Post("/v1/products/{id}", UpdateProduct)
         .Delete("/v1/products/{id}", DeleteProduct)
         .Get("/v1/products", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active", "shippable", "url", "ids"]);
             var items = c.All("product").Where(c.P, "active", "shippable", "url");
             var ids = c.P.Strings("ids").ToHashSet();
             return Lists.Page(c, ids.Count == 0 ? items : items.Where(o => ids.Contains(o["id"]!.GetValue<string>())));
         });
    }

    private static JsonObject CreateProduct(Call c)
    {
        var p = c.P;
        p.Allow("id", "name", "description", "active", "metadata", "default_price_data", "url", "images", "statement_descriptor", "unit_label", "tax_code", "shippable", "marketing_features");
        var id = p.Str("id") ?? c.State.NewId("prod", 14);
        if (c.Find("product", id) is not null) throw StripeError.Invalid($"Product already exists.", "id", "resource_already_exists");
        var product = NewProduct(c, id, p);
        c.Create("product", product);
        if (p.Obj("default_price_data") is { } dpd)
        {
            dpd.Allow("currency", "unit_amount", "unit_amount_decimal", "recurring", "tax_behavior", "metadata");
            var price = NewPrice(c, dpd, id);
            product["default_price"] = price["id"]!.GetValue<string>();
        }
        return product;
    }

    /// <summary>A product from its parameters (create_product's, or a price's product_data).</summary>
    private static JsonObject NewProduct(Call c, string id, P p) => new()
    {
        ["id"] = id,
        ["object"] = "product",
        ["active"] = p.Bool("active") ?? true,
        ["created"] = c.Now,
        ["default_price"] = null,
        ["description"] = p.Str("description"),
        ["images"] = new JsonArray(p.Strings("images").Select(s => (JsonNode)s).ToArray()),
        ["livemode"] = false,
        ["marketing_features"] = new JsonArray(),
        ["metadata"] = p.Metadata() ?? new JsonObject(),
        ["name"] = p.Req("name"),
        ["package_dimensions"] = null,
        ["shippable"] = p.Bool("shippable"),
        ["statement_descriptor"] = p.Str("statement_descriptor"),
        ["tax_code"] = p.Str("tax_code"),
        ["unit_label"] = p.Str("unit_label"),
        ["updated"] = c.Now,
        ["url"] = p.Str("url"),
    };

    private static JsonObject UpdateProduct(Call c)
    {
        var p = c.P;
        p.Allow("name", "description", "active", "metadata", "default_price", "url", "images", "statement_descriptor", "unit_label", "tax_code", "shippable");
        var product = c.Get("product", c.Id);
        foreach (var f in new[] { "name", "description", "url", "statement_descriptor", "unit_label", "tax_code" })
            if (p.Has(f)) product[f] = p.IsEmpty(f) ? null : p.Str(f);
        if (p.Bool("active") is { } active) product["active"] = active;
        if (p.Bool("shippable") is { } shippable) product["shippable"] = shippable;
        if (p.Str("default_price") is { } dp)
        {
            var price = c.Get("price", dp, "default_price");
            if (Lists.Text(price["product"]) != c.Id) throw StripeError.Invalid($"The price {dp} does not belong to product {c.Id}.", "default_price");
            product["default_price"] = dp;
        }
        if (p.Metadata() is { } md) Merge(product, md);
        product["updated"] = c.Now;
        c.Emit("product.updated", product);
        return product;
    }

    private static JsonObject DeleteProduct(Call c)
    {
        c.Get("product", c.Id);
        if (c.All("price").Any(pr => Lists.Text(pr["product"]) == c.Id))
            throw StripeError.Invalid("This product cannot be deleted because it has one or more user-created prices. Archive it instead (active=false).", code: "product_has_prices");
        c.State.Remove(c.Account, "product", c.Id);
        return new JsonObject { ["id"] = c.Id, ["object"] = "product", ["deleted"] = true };
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> ProductSearch = new()
    {
        ["name"] = o => o["name"], ["active"] = o => o["active"], ["description"] = o => o["description"],
        ["url"] = o => o["url"], ["shippable"] = o => o["shippable"], ["created"] = o => o["created"],
    };
}
