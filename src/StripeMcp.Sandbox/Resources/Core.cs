using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Customers, products, prices, coupons, promotion codes.</summary>
internal static class Core
{
    public static void Register(Router r)
    {
        r.Post("/v1/customers", CreateCustomer)
         .Get("/v1/customers/search", c => Lists.Search(c, c.All("customer"), CustomerSearch))
         .Get("/v1/customers/{id}", c => c.Find("customer", c.Id) ?? Deleted(c, "customer") ?? c.Get("customer", c.Id))
         .Post("/v1/customers/{id}", UpdateCustomer)
         .Delete("/v1/customers/{id}", DeleteCustomer)
         .Get("/v1/customers", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "email", "test_clock"]);
             return Lists.Page(c, c.All("customer").Where(c.P, "email"));
         });

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

        r.Post("/v1/coupons", CreateCoupon)
         .Get("/v1/coupons/{id}", c => c.Get("coupon", c.Id))
         .Delete("/v1/coupons/{id}", c =>
         {
             c.Get("coupon", c.Id);
             c.State.Remove(c.Account, "coupon", c.Id);
             return new JsonObject { ["id"] = c.Id, ["object"] = "coupon", ["deleted"] = true };
         })
         .Get("/v1/coupons", c => { c.P.Allow(Lists.PagingParams); return Lists.Page(c, c.All("coupon")); });

        r.Post("/v1/promotion_codes", CreatePromotionCode)
         .Get("/v1/promotion_codes/{id}", c => c.Get("promotion_code", c.Id))
         .Get("/v1/promotion_codes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active", "code", "coupon", "customer"]);
             var items = c.All("promotion_code").Where(c.P, "active", "code", "customer");
             if (c.P.Str("coupon") is { } coupon) items = items.Where(o => Lists.Text(o["promotion"]?["coupon"]) == coupon);
             return Lists.Page(c, items);
         });
    }

    // ---- customers ----

    private static readonly string[] CustomerFields = ["name", "email", "phone", "description", "metadata", "address", "shipping", "payment_method", "invoice_settings", "preferred_locales", "tax_exempt", "balance"];

    private static JsonObject CreateCustomer(Call c)
    {
        c.P.Allow([.. CustomerFields, "test_clock"]);
        string? clock = null;
        if (c.P.Str("test_clock") is { } clockId)
        {
            clock = c.Get("test_helpers.test_clock", clockId, "test_clock")["id"]!.GetValue<string>();
            c.OnClockOf(new JsonObject { ["test_clock"] = clock }); // it lives on the clock's time from its creation
        }
        var id = c.State.NewId("cus", 14);
        var customer = new JsonObject
        {
            ["id"] = id,
            ["object"] = "customer",
            ["address"] = null,
            ["balance"] = 0,
            ["created"] = c.Now,
            ["currency"] = null,
            ["default_source"] = null,
            ["delinquent"] = false,
            ["description"] = null,
            ["email"] = null,
            ["invoice_prefix"] = id[4..12].ToUpperInvariant(),
            ["invoice_settings"] = new JsonObject { ["custom_fields"] = null, ["default_payment_method"] = null, ["footer"] = null, ["rendering_options"] = null },
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["name"] = null,
            ["next_invoice_sequence"] = 1,
            ["phone"] = null,
            ["preferred_locales"] = new JsonArray(),
            ["shipping"] = null,
            ["tax_exempt"] = "none",
            ["test_clock"] = clock,
        };
        ApplyCustomer(c, customer);
        if (c.P.Str("payment_method") is { } pm) Payments.AttachPaymentMethod(c, pm, id);
        return c.Create("customer", customer);
    }

    private static void ApplyCustomer(Call c, JsonObject customer)
    {
        var p = c.P;
        foreach (var f in new[] { "name", "email", "phone", "description" })
            if (p.Has(f)) customer[f] = p.IsEmpty(f) ? null : p.Str(f);
        if (p.Int("balance") is { } balance) customer["balance"] = balance;
        if (p.Enum("tax_exempt", "none", "exempt", "reverse") is { } te) customer["tax_exempt"] = te;
        if (p.Obj("address") is { } address) customer["address"] = Address(address);
        if (p.Metadata() is { } md) Merge(customer, md);
        if (p.Obj("invoice_settings") is { } settings)
        {
            settings.Allow("default_payment_method", "footer", "custom_fields", "rendering_options");
            if (settings.Str("default_payment_method") is { } dpm)
            {
                var pm = c.Get("payment_method", dpm, "invoice_settings[default_payment_method]");
                if (Lists.Text(pm["customer"]) != customer["id"]!.GetValue<string>())
                    throw StripeError.Invalid($"The payment method {dpm} must be attached to the customer to be used as its default.", "invoice_settings[default_payment_method]");
                customer["invoice_settings"]!["default_payment_method"] = dpm;
            }
            if (settings.Str("footer") is { } footer) customer["invoice_settings"]!["footer"] = footer;
        }
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

    private static JsonObject UpdateCustomer(Call c)
    {
        c.P.Allow([.. CustomerFields.Where(f => f != "payment_method")]);
        var customer = c.Get("customer", c.Id);
        ApplyCustomer(c, customer);
        c.Emit("customer.updated", customer);
        return customer;
    }

    private static JsonObject DeleteCustomer(Call c)
    {
        var customer = c.Get("customer", c.Id);
        c.State.Remove(c.Account, "customer", c.Id);
        var tombstone = new JsonObject { ["id"] = c.Id, ["object"] = "customer", ["deleted"] = true };
        c.State.Add(c.Account, "deleted_customer", tombstone);
        c.Emit("customer.deleted", customer);
        foreach (var sub in c.All("subscription").Where(s => Lists.Text(s["customer"]) == c.Id && Lists.Text(s["status"]) != "canceled").ToList())
            Billing.Cancel(c, sub);
        return tombstone;
    }

    /// <summary>A deleted customer is still retrievable, as {id, object, deleted: true}, like Stripe.</summary>
    private static JsonObject? Deleted(Call c, string type) => c.Find($"deleted_{type}", c.Id);

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> CustomerSearch = new()
    {
        ["email"] = o => o["email"], ["name"] = o => o["name"], ["phone"] = o => o["phone"], ["created"] = o => o["created"],
    };

    // ---- products ----

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

    // ---- prices ----

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

    public static string Currency(P p, string key = "currency")
    {
        var currency = p.Str(key) ?? throw StripeError.ParamMissing(p.Name(key));
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter))
            throw StripeError.Invalid($"Invalid currency: {currency}. Stripe currently supports these currencies: usd, eur, gbp, jpy, …", p.Name(key));
        return currency.ToLowerInvariant();
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

    // ---- coupons & promotion codes ----

    private static JsonObject CreateCoupon(Call c)
    {
        var p = c.P;
        p.Allow("id", "name", "percent_off", "amount_off", "currency", "duration", "duration_in_months", "max_redemptions", "redeem_by", "metadata", "applies_to");
        var percent = p.Dec("percent_off");
        var amountOff = p.Int("amount_off");
        if (percent is null == amountOff is null)
            throw StripeError.Invalid("You must pass exactly one of percent_off or amount_off.", percent is null ? "percent_off" : "amount_off");
        if (percent is not null && (percent <= 0 || percent > 100)) throw StripeError.Invalid("Invalid percent_off: must be greater than 0 and at most 100.", "percent_off");
        string? currency = null;
        if (amountOff is not null)
        {
            if (amountOff <= 0) throw StripeError.Invalid("Invalid amount_off: must be greater than 0.", "amount_off");
            currency = Currency(p);
        }
        var duration = p.Enum("duration", "once", "repeating", "forever") ?? "once";
        var months = p.Int("duration_in_months");
        if (duration == "repeating" && months is null) throw StripeError.ParamMissing("duration_in_months");
        if (duration != "repeating" && months is not null) throw StripeError.Invalid("duration_in_months can only be set when duration is repeating.", "duration_in_months");
        var id = p.Str("id") ?? c.State.NewId("", 8)[1..];
        if (c.Find("coupon", id) is not null) throw StripeError.Invalid("Coupon already exists.", "id", "resource_already_exists");
        return c.Create("coupon", new JsonObject
        {
            ["id"] = id,
            ["object"] = "coupon",
            ["amount_off"] = amountOff,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["duration"] = duration,
            ["duration_in_months"] = months,
            ["livemode"] = false,
            ["max_redemptions"] = p.Int("max_redemptions"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["name"] = p.Str("name"),
            ["percent_off"] = percent is null ? null : (double)percent,
            ["redeem_by"] = p.Int("redeem_by"),
            ["times_redeemed"] = 0,
            ["valid"] = true,
        });
    }

    private static JsonObject CreatePromotionCode(Call c)
    {
        var p = c.P;
        p.Allow("promotion", "code", "active", "customer", "expires_at", "max_redemptions", "metadata", "restrictions");
        var promotion = p.Obj("promotion") ?? throw StripeError.ParamMissing("promotion");
        promotion.Allow("type", "coupon");
        if (promotion.Enum("type", "coupon") is null) throw StripeError.ParamMissing("promotion[type]");
        var coupon = c.Get("coupon", promotion.Req("coupon"), "promotion[coupon]");
        var code = p.Str("code") ?? c.State.NewId("x", 8)[2..].ToUpperInvariant();
        if (c.All("promotion_code").Any(o => Lists.Text(o["active"]) == "true" && string.Equals(Lists.Text(o["code"]), code, StringComparison.OrdinalIgnoreCase)))
            throw StripeError.Invalid($"An active promotion code with `code: {code}` already exists.", "code");
        if (p.Str("customer") is { } cus) c.Get("customer", cus, "customer");
        return c.Create("promotion_code", new JsonObject
        {
            ["id"] = c.State.NewId("promo"),
            ["object"] = "promotion_code",
            ["active"] = p.Bool("active") ?? true,
            ["code"] = code,
            ["created"] = c.Now,
            ["customer"] = p.Str("customer"),
            ["expires_at"] = p.Int("expires_at"),
            ["livemode"] = false,
            ["max_redemptions"] = p.Int("max_redemptions"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["promotion"] = new JsonObject { ["coupon"] = coupon["id"]!.GetValue<string>(), ["type"] = "coupon" },
            ["restrictions"] = new JsonObject { ["first_time_transaction"] = false, ["minimum_amount"] = null, ["minimum_amount_currency"] = null },
            ["times_redeemed"] = 0,
        });
    }
}
