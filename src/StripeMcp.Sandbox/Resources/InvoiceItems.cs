using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Invoice items: pending until an invoice takes them, or added to a draft invoice.</summary>
internal static partial class Billing
{
    private static void RegisterInvoiceItems(Router r)
    {
        r.Post("/v1/invoiceitems", CreateInvoiceItem)
         .Get("/v1/invoiceitems/{id}", c => c.Get("invoiceitem", c.Id))
         .Post("/v1/invoiceitems/{id}", UpdateInvoiceItem)
         .Delete("/v1/invoiceitems/{id}", c =>
         {
             var item = c.Get("invoiceitem", c.Id);
             var invoice = DraftOf(c, item);
             c.State.Remove(c.Account, "invoiceitem", c.Id);
             if (invoice is not null) Recompute(c, invoice);
             return new JsonObject { ["id"] = c.Id, ["object"] = "invoiceitem", ["deleted"] = true };
         })
         .Get("/v1/invoiceitems", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "invoice", "pending"]);
             var items = c.All("invoiceitem").Where(c.P, "customer", "invoice");
             if (c.P.Bool("pending") == true) items = items.Where(i => i["invoice"] is null);
             return Lists.Page(c, items);
         });
    }

    private static JsonObject CreateInvoiceItem(Call c)
    {
        var p = c.P;
        p.Allow("customer", "invoice", "pricing", "price_data", "amount", "currency", "quantity", "description", "metadata", "period", "subscription", "discountable", "unit_amount_decimal", "tax_behavior", "tax_rates");
        var itemCustomer = c.Get("customer", p.Req("customer"), "customer");
        c.OnClockOf(itemCustomer);
        var customerId = itemCustomer["id"]!.GetValue<string>();
        JsonObject? invoice = null;
        if (p.Str("invoice") is { } invId)
        {
            invoice = c.Get("invoice", invId, "invoice");
            if (Status(invoice) != "draft") throw StripeError.InvalidState($"You can only add invoice items to draft invoices; {invId} is {Status(invoice)}.", "invoice");
            if (Lists.Text(invoice["customer"]) != customerId) throw StripeError.Invalid($"The invoice {invId} belongs to another customer.", "invoice");
        }
        var quantity = p.Int("quantity") ?? 1;
        if (quantity < 1) throw StripeError.Invalid("Quantity must be at least 1.", "quantity");
        long unit;
        string currency;
        JsonObject? pricing = null;
        if (p.Obj("pricing")?.Str("price") is { } priceId)
        {
            var price = c.Get("price", priceId, "pricing[price]");
            if (Lists.Text(price["type"]) != "one_time") throw StripeError.Invalid($"The price {priceId} is recurring; invoice items take one-time prices.", "pricing[price]");
            unit = price["unit_amount"]!.Long();
            currency = price["currency"]!.GetValue<string>();
            pricing = new JsonObject
            {
                ["price_details"] = new JsonObject { ["price"] = priceId, ["product"] = price["product"]!.DeepClone() },
                ["type"] = "price_details",
                ["unit_amount_decimal"] = unit.ToString(CultureInfo.InvariantCulture),
            };
        }
        else if (p.Int("amount") is { } amount)
        {
            if (p.Has("quantity")) throw StripeError.Invalid("quantity cannot be used with amount; use pricing[price] or unit_amount_decimal.", "quantity");
            unit = amount;
            currency = Core.Currency(p);
        }
        else throw StripeError.Invalid("You must specify either `amount`, `pricing[price]` or `price_data`.", "amount", "parameter_missing");
        var id = c.State.NewId("ii");
        var item = new JsonObject
        {
            ["id"] = id,
            ["object"] = "invoiceitem",
            ["amount"] = unit * quantity,
            ["currency"] = currency,
            ["customer"] = customerId,
            ["date"] = c.Now,
            ["description"] = p.Str("description"),
            ["discountable"] = p.Bool("discountable") ?? true,
            ["discounts"] = new JsonArray(),
            ["invoice"] = invoice?["id"]?.DeepClone(),
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["net_amount"] = unit * quantity,
            ["parent"] = null,
            ["period"] = new JsonObject { ["end"] = c.Now, ["start"] = c.Now },
            ["pricing"] = pricing,
            ["proration"] = false,
            ["quantity"] = quantity,
            ["tax_rates"] = TaxRates(c, p, "tax_rates"),
            ["test_clock"] = itemCustomer["test_clock"]?.DeepClone(),
        };
        c.Create("invoiceitem", item);
        if (invoice is not null) Recompute(c, invoice);
        return item;
    }

    /// <summary>The draft invoice an item is on (null when it is pending); an item on a finalized invoice cannot change.</summary>
    private static JsonObject? DraftOf(Call c, JsonObject item)
    {
        if (Lists.Text(item["invoice"]) is not { } invId) return null;
        var invoice = c.Get("invoice", invId);
        if (Status(invoice) != "draft")
            throw StripeError.InvalidState($"The invoice item {item["id"]} is on invoice {invId}, which is {Status(invoice)}: only items of draft invoices can change.");
        return invoice;
    }

    private static JsonObject UpdateInvoiceItem(Call c)
    {
        var p = c.P;
        p.Allow("description", "metadata", "tax_rates", "discountable", "period");
        var item = c.Get("invoiceitem", c.Id);
        var invoice = DraftOf(c, item);
        if (p.Has("description")) item["description"] = p.IsEmpty("description") ? null : p.Str("description");
        if (p.Bool("discountable") is { } d) item["discountable"] = d;
        if (p.Has("tax_rates")) item["tax_rates"] = TaxRates(c, p, "tax_rates");
        if (p.Metadata() is { } md) Core.Merge(item, md);
        if (invoice is not null) Recompute(c, invoice);
        return item;
    }
}
