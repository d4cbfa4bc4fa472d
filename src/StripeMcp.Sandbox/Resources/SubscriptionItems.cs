using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Subscription items: add, change, remove and list a subscription's prices.</summary>
internal static partial class Billing
{
    private static void RegisterSubscriptionItems(Router r)
    {
        r.Post("/v1/subscription_items", c =>
         {
             var p = c.P;
             p.Allow("subscription", "price", "quantity", "metadata", "proration_behavior", "proration_date", "payment_behavior", "tax_rates", "discounts", "price_data", "billing_thresholds");
             var sub = LiveSubscription(c, p.Req("subscription"), "subscription");
             p.Enum("proration_behavior", "create_prorations", "none", "always_invoice");
             var price = RecurringPrice(c, p);
             var items = sub["items"]!["data"]!.AsArray();
             if (items.Any(i => Lists.Text(i!["price"]!["id"]) == price["id"]!.GetValue<string>()))
                 throw StripeError.Invalid($"Cannot add multiple subscription items with the same price: {price["id"]}.", "price");
             if (Lists.Text(price["currency"]) != Lists.Text(sub["currency"]))
                 throw StripeError.Invalid($"The price {price["id"]} is in {price["currency"]}; this subscription bills in {sub["currency"]}.", "price");
             var first = items[0]!.AsObject();
             var quantity = p.Int("quantity") ?? 1;
             if (quantity < 0) throw StripeError.Invalid("Quantity must not be negative.", "quantity");
             var item = SubscriptionItem(c, sub["id"]!.GetValue<string>(), price, quantity, first["current_period_start"]!.Long(), first["current_period_end"]!.Long());
             item["tax_rates"] = TaxRates(c, p, "tax_rates");
             item["metadata"] = p.Metadata() ?? new JsonObject();
             items.Add(item);
             c.Emit("customer.subscription.updated", sub);
             return (JsonObject)item.DeepClone();
         })
         .Get("/v1/subscription_items/{id}", c => (JsonObject)ItemOf(c, c.Id).Item.DeepClone())
         .Post("/v1/subscription_items/{id}", c =>
         {
             var p = c.P;
             p.Allow("price", "quantity", "metadata", "proration_behavior", "proration_date", "payment_behavior", "tax_rates", "discounts", "price_data", "billing_thresholds", "off_session");
             var (item, sub) = ItemOf(c, c.Id);
             if (Status(sub) == "canceled") throw StripeError.InvalidState("A canceled subscription's items cannot change.");
             p.Enum("proration_behavior", "create_prorations", "none", "always_invoice");
             if (p.Has("price"))
             {
                 var price = RecurringPrice(c, p);
                 if (Lists.Text(price["currency"]) != Lists.Text(sub["currency"]))
                     throw StripeError.Invalid($"The price {price["id"]} is in {price["currency"]}; this subscription bills in {sub["currency"]}.", "price");
                 item["price"] = price.DeepClone();
             }
             if (p.Int("quantity") is { } q)
             {
                 if (q < 0) throw StripeError.Invalid("Quantity must not be negative.", "quantity");
                 item["quantity"] = q;
             }
             if (p.Has("tax_rates")) item["tax_rates"] = TaxRates(c, p, "tax_rates");
             if (p.Metadata() is { } md) Core.Merge(item, md);
             c.Emit("customer.subscription.updated", sub);
             return (JsonObject)item.DeepClone();
         })
         .Delete("/v1/subscription_items/{id}", c =>
         {
             c.P.Allow("proration_behavior", "proration_date", "clear_usage");
             var (item, sub) = ItemOf(c, c.Id);
             if (Status(sub) == "canceled") throw StripeError.InvalidState("A canceled subscription's items cannot change.");
             var items = sub["items"]!["data"]!.AsArray();
             if (items.Count == 1) throw StripeError.Invalid("A subscription must have at least one active item; cancel the subscription instead.");
             items.Remove(item);
             c.Emit("customer.subscription.updated", sub);
             return new JsonObject { ["id"] = c.Id, ["object"] = "subscription_item", ["deleted"] = true };
         })
         .Get("/v1/subscription_items", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "subscription"]);
             var sub = c.Get("subscription", c.P.Req("subscription"), "subscription");
             // Items keep the subscription's order.
             return Lists.Page(c, sub["items"]!["data"]!.AsArray().Select(n => (JsonObject)n!.DeepClone()), $"/v1/subscription_items?subscription={sub["id"]}");
         });
    }

    private static JsonObject SubscriptionItem(Call c, string subscription, JsonObject price, long quantity, long start, long end) => new()
    {
        ["id"] = c.State.NewId("si", 14),
        ["object"] = "subscription_item",
        ["billing_thresholds"] = null,
        ["created"] = c.Now,
        ["current_period_end"] = end,
        ["current_period_start"] = start,
        ["discounts"] = new JsonArray(),
        ["metadata"] = new JsonObject(),
        ["price"] = price.DeepClone(),
        ["quantity"] = quantity,
        ["subscription"] = subscription,
        ["tax_rates"] = new JsonArray(),
    };

    private static JsonObject LiveSubscription(Call c, string id, string param)
    {
        var sub = c.Get("subscription", id, param);
        if (Status(sub) is "canceled" or "incomplete_expired")
            throw StripeError.InvalidState($"The subscription {id} is {Status(sub)}: its items cannot change.", param);
        return sub;
    }

    private static (JsonObject Item, JsonObject Subscription) ItemOf(Call c, string id)
    {
        foreach (var sub in c.All("subscription"))
            if (sub["items"]!["data"]!.AsArray().FirstOrDefault(i => Lists.Text(i!["id"]) == id) is JsonObject item) return (item, sub);
        throw StripeError.Missing("subscription item", id);
    }
}
