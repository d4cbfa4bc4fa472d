using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Customers: create, retrieve (a deleted one too), update, delete, list, search.</summary>
internal static partial class Core
{
    private static void RegisterCustomers(Router r)
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
    }

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
}
