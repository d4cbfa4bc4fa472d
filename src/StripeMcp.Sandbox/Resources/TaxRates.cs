using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Tax rates, and the taxes they put on invoice lines.</summary>
internal static partial class Billing
{
    private static void RegisterTaxRates(Router r)
    {
        r.Post("/v1/tax_rates", CreateTaxRate)
         .Get("/v1/tax_rates/{id}", c => c.Get("tax_rate", c.Id))
         .Post("/v1/tax_rates/{id}", c =>
         {
             var p = c.P;
             p.Allow("active", "country", "description", "display_name", "jurisdiction", "metadata", "state", "tax_type");
             var rate = c.Get("tax_rate", c.Id);
             if (p.Bool("active") is { } active) rate["active"] = active;
             foreach (var f in new[] { "country", "description", "display_name", "jurisdiction", "state" })
                 if (p.Has(f)) rate[f] = p.IsEmpty(f) ? null : p.Str(f);
             if (p.Has("tax_type")) rate["tax_type"] = TaxType(p);
             if (p.Metadata() is { } md) Core.Merge(rate, md);
             c.Emit("tax_rate.updated", rate);
             return rate;
         })
         .Get("/v1/tax_rates", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "active", "inclusive"]);
             return Lists.Page(c, c.All("tax_rate").Where(c.P, "active", "inclusive"));
         });
    }

    private static readonly string[] TaxTypes =
        ["amusement_tax", "communications_tax", "gst", "hst", "igst", "jct", "lease_tax", "pst", "qst", "retail_delivery_fee", "rst", "sales_tax", "service_tax", "vat"];

    private static string? TaxType(P p) => p.Enum("tax_type", TaxTypes);

    private static JsonObject CreateTaxRate(Call c)
    {
        var p = c.P;
        p.Allow("active", "country", "description", "display_name", "inclusive", "jurisdiction", "metadata", "percentage", "state", "tax_type");
        var percentage = p.Dec("percentage") ?? throw StripeError.ParamMissing("percentage");
        if (percentage is < 0 or > 100) throw StripeError.Invalid("Percentage must be between 0 and 100.", "percentage");
        var inclusive = p.Bool("inclusive") ?? throw StripeError.ParamMissing("inclusive");
        return c.Create("tax_rate", new JsonObject
        {
            ["id"] = c.State.NewId("txr"),
            ["object"] = "tax_rate",
            ["active"] = p.Bool("active") ?? true,
            ["country"] = p.Str("country"),
            ["created"] = c.Now,
            ["description"] = p.Str("description"),
            ["display_name"] = p.Req("display_name"),
            ["effective_percentage"] = percentage,
            ["flat_amount"] = null,
            ["inclusive"] = inclusive,
            ["jurisdiction"] = p.Str("jurisdiction"),
            ["jurisdiction_level"] = null,
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["percentage"] = percentage,
            ["rate_type"] = "percentage",
            ["state"] = p.Str("state"),
            ["tax_type"] = TaxType(p),
        });
    }

    /// <summary>tax_rates[]=txr_… (or default_tax_rates[]) as the rate objects Stripe embeds; "" clears.</summary>
    private static JsonArray TaxRates(Call c, P p, string key)
    {
        var ids = p.IsEmpty(key) ? [] : p.Strings(key).ToList();
        if (ids.Count > 5) throw StripeError.Invalid($"You can apply at most 5 tax rates ({key}).", key);
        var rates = new JsonArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var rate = c.Get("tax_rate", id, $"{p.Name(key)}[{i}]");
            if (rate["active"]?.GetValue<bool>() == false)
                throw StripeError.Invalid($"The tax rate {id} is inactive; only active tax rates can be applied.", $"{p.Name(key)}[{i}]");
            rates.Add(rate.DeepClone());
        }
        return rates;
    }

    /// <summary>
    /// The tax a rate puts on an amount: exclusive rates add amount × p%, inclusive ones take the tax out of the
    /// amount (amount − amount / (1 + p%)); both rounded half away from zero to the smallest currency unit.
    /// </summary>
    internal static JsonObject Tax(long amount, JsonObject rate)
    {
        var pct = rate["percentage"]!.GetValue<decimal>() / 100m;
        var inclusive = rate["inclusive"]!.GetValue<bool>();
        var tax = inclusive ? amount - amount / (1 + pct) : amount * pct;
        var rounded = (long)Math.Round(tax, MidpointRounding.AwayFromZero);
        return new JsonObject
        {
            ["amount"] = rounded,
            ["tax_behavior"] = inclusive ? "inclusive" : "exclusive",
            ["tax_rate_details"] = new JsonObject { ["tax_rate"] = rate["id"]!.DeepClone() },
            ["taxability_reason"] = "standard_rated",
            ["taxable_amount"] = inclusive ? amount - rounded : amount,
            ["type"] = "tax_rate_details",
        };
    }
}
