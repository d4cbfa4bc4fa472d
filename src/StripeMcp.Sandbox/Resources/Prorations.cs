using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Prorations: what a change to a subscription mid-period bills for the time left.</summary>
internal static partial class Billing
{
    /// <summary>What each item bills per period: item id → (price, quantity, amount).</summary>
    private static Dictionary<string, (JsonObject Price, long Quantity, long Amount)> Billed(JsonArray items) =>
        items.ToDictionary(i => i!["id"]!.GetValue<string>(), i => (i!["price"]!.AsObject(), i["quantity"]!.Long(), i["price"]!["unit_amount"]!.Long() * i["quantity"]!.Long()));

    /// <summary>
    /// A change mid-period is billed for the time left: a credit for the unused time of what was billed, a charge
    /// for the remaining time of what replaces it, each (amount × seconds left / seconds in the period), rounded to
    /// the smallest unit. They wait as pending invoice items for the next invoice, or are invoiced and charged now
    /// (always_invoice).
    /// </summary>
    private static void Prorate(Call c, JsonObject sub, Dictionary<string, (JsonObject Price, long Quantity, long Amount)> before,
        Dictionary<string, (JsonObject Price, long Quantity, long Amount)> after, long at, bool invoiceNow)
    {
        var first = sub["items"]!["data"]![0]!;
        var (start, end) = (first["current_period_start"]!.Long(), first["current_period_end"]!.Long());
        if (at < start || at >= end) throw StripeError.Invalid($"proration_date must be within the current period ({start} to {end}).", "proration_date");
        var left = (decimal)(end - at) / (end - start);
        var customer = sub["customer"]!.GetValue<string>();
        var made = new List<JsonObject>();
        void Item(long amount, string description, JsonObject price)
        {
            if (amount == 0) return;
            var item = new JsonObject
            {
                ["id"] = c.State.NewId("ii"),
                ["object"] = "invoiceitem",
                ["amount"] = amount,
                ["currency"] = sub["currency"]!.DeepClone(),
                ["customer"] = customer,
                ["date"] = at,
                ["description"] = description,
                ["discountable"] = false,
                ["discounts"] = new JsonArray(),
                ["invoice"] = null,
                ["livemode"] = false,
                ["metadata"] = new JsonObject(),
                ["net_amount"] = amount,
                ["parent"] = new JsonObject
                {
                    ["subscription_details"] = new JsonObject { ["subscription"] = sub["id"]!.DeepClone(), ["subscription_item"] = null },
                    ["type"] = "subscription_details",
                },
                ["period"] = new JsonObject { ["end"] = end, ["start"] = at },
                ["pricing"] = new JsonObject
                {
                    ["price_details"] = new JsonObject { ["price"] = price["id"]!.DeepClone(), ["product"] = price["product"]!.DeepClone() },
                    ["type"] = "price_details",
                    ["unit_amount_decimal"] = price["unit_amount_decimal"]?.DeepClone(),
                },
                ["proration"] = true,
                ["quantity"] = 1,
                ["tax_rates"] = new JsonArray(),
                ["test_clock"] = sub["test_clock"]?.DeepClone(),
            };
            c.Create("invoiceitem", item);
            made.Add(item);
        }
        string Name(JsonObject price, long quantity) => $"{quantity} × {Lists.Text(price["nickname"]) ?? Lists.Text(c.Find("product", price["product"]!.GetValue<string>())?["name"]) ?? price["id"]}";
        foreach (var id in before.Keys.Union(after.Keys))
        {
            var old = before.GetValueOrDefault(id);
            var now = after.GetValueOrDefault(id);
            if (old.Price is not null && now.Price is not null && old.Price["id"]!.GetValue<string>() == now.Price["id"]!.GetValue<string>() && old.Quantity == now.Quantity) continue;
            if (old.Price is not null) Item(-(long)Math.Round(old.Amount * left, MidpointRounding.AwayFromZero), $"Unused time on {Name(old.Price, old.Quantity)}", old.Price);
            if (now.Price is not null) Item((long)Math.Round(now.Amount * left, MidpointRounding.AwayFromZero), $"Remaining time on {Name(now.Price, now.Quantity)}", now.Price);
        }
        if (!invoiceNow || made.Count == 0) return;
        var invoice = NewInvoice(c, c.Get("customer", customer), sub["collection_method"]!.GetValue<string>(), sub["currency"]!.GetValue<string>(), "subscription_update", sub["id"]!.GetValue<string>());
        c.State.Add(c.Account, "invoice", invoice);
        foreach (var item in made) item["invoice"] = invoice["id"]!.DeepClone();
        c.Emit("invoice.created", invoice);
        Recompute(c, invoice);
        sub["latest_invoice"] = invoice["id"]!.GetValue<string>();
        Finalize(c, invoice);
        if (Status(invoice) == "open" && Lists.Text(invoice["collection_method"]) == "charge_automatically" && invoice["amount_due"]!.Long() > 0)
        {
            var pm = Lists.Text(sub["default_payment_method"]) ?? Payments.DefaultPaymentMethod(c, customer)
                ?? throw StripeError.Invalid("This customer has no attached payment source or default payment method.", "default_payment_method", "invoice_no_payment_method");
            Pay(c, invoice, pm, false); // a decline is Stripe's 402; the prorations stay on the open invoice
        }
    }
}
