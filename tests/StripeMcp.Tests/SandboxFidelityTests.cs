using System.Collections;
using System.Reflection;
using System.Text.Json;
using global::Stripe;
using StripeMcp.Sandbox;

namespace StripeMcp.Tests;

/// <summary>
/// Every object the sandbox returns deserializes into the matching Stripe.net class (the calls below
/// go through Stripe.net's typed services, which deserialize), and no field is lost: every key of the
/// JSON, at every depth, is a property Stripe.net knows.
/// </summary>
public sealed class SandboxFidelityTests
{
    private readonly List<(Type Type, string Json, string Where)> _seen = [];

    private T Keep<T>(T entity, string where) where T : IStripeEntity
    {
        _seen.Add((typeof(T), ((StripeEntity)(object)entity).StripeResponse.Content, where));
        return entity;
    }

    [Fact]
    public async Task Every_resource_deserializes_into_Stripe_net_with_no_field_lost()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var client = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_fidelity", ApiBase = sandbox.BaseUrl, ConnectBase = sandbox.BaseUrl, MeterEventsBase = sandbox.BaseUrl });

        Keep(await new AccountService(client).GetSelfAsync(), "account");
        var product = Keep(await new ProductService(client).CreateAsync(new ProductCreateOptions { Name = "Pro", DefaultPriceData = new ProductDefaultPriceDataOptions { Currency = "usd", UnitAmount = 500 } }), "product");
        var monthly = Keep(await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 2000, Recurring = new PriceRecurringOptions { Interval = "month" } }), "price");
        var oneTime = Keep(await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 1500 }), "price");
        var customer = Keep(await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Name = "Jenny", Email = "jenny@example.com", Metadata = new() { ["k"] = "v" } }), "customer");
        Keep(await new CustomerService(client).ListAsync(new CustomerListOptions { Limit = 3 }), "customer list");
        Keep(await new CustomerService(client).SearchAsync(new CustomerSearchOptions { Query = "email:'jenny@example.com'" }), "customer search");
        var pm = Keep(await new PaymentMethodService(client).AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = customer.Id }), "payment method");
        var coupon = Keep(await new CouponService(client).CreateAsync(new CouponCreateOptions { PercentOff = 10, Duration = "once" }), "coupon");
        Keep(await new PromotionCodeService(client).CreateAsync(new PromotionCodeCreateOptions { Promotion = new PromotionCodePromotionOptions { Type = "coupon", Coupon = coupon.Id }, Code = "TEN" }), "promotion code");
        Keep(await new PaymentLinkService(client).CreateAsync(new PaymentLinkCreateOptions { LineItems = [new PaymentLinkLineItemOptions { Price = oneTime.Id, Quantity = 1 }] }), "payment link");
        var session = Keep(await new global::Stripe.Checkout.SessionService(client).CreateAsync(new global::Stripe.Checkout.SessionCreateOptions
        {
            Mode = "payment", SuccessUrl = "https://example.com/ok", LineItems = [new global::Stripe.Checkout.SessionLineItemOptions { Price = oneTime.Id, Quantity = 2 }],
        }), "checkout session");
        Keep(await new global::Stripe.Checkout.SessionLineItemService(client).ListAsync(session.Id), "checkout line items");
        var pi = Keep(await new PaymentIntentService(client).CreateAsync(new PaymentIntentCreateOptions { Amount = 5000, Currency = "usd", Customer = customer.Id, PaymentMethod = "pm_card_visa", Confirm = true }), "payment intent");
        Keep(await new ChargeService(client).GetAsync(pi.LatestChargeId), "charge");
        Keep(await new RefundService(client).CreateAsync(new RefundCreateOptions { PaymentIntent = pi.Id, Amount = 1000 }), "refund");
        var disputed = await new PaymentIntentService(client).CreateAsync(new PaymentIntentCreateOptions { Amount = 3000, Currency = "usd", PaymentMethod = "pm_card_createDispute", Confirm = true });
        var dispute = (await new DisputeService(client).ListAsync(new DisputeListOptions { PaymentIntent = disputed.Id })).Single();
        Keep(await new DisputeService(client).GetAsync(dispute.Id), "dispute");
        Keep(await new SetupIntentService(client).CreateAsync(new SetupIntentCreateOptions { Customer = customer.Id, PaymentMethod = "pm_card_mastercard", Confirm = true }), "setup intent");
        var invoice = Keep(await new InvoiceService(client).CreateAsync(new InvoiceCreateOptions { Customer = customer.Id }), "invoice");
        Keep(await new InvoiceItemService(client).CreateAsync(new InvoiceItemCreateOptions { Customer = customer.Id, Invoice = invoice.Id, Pricing = new InvoiceItemPricingOptions { Price = oneTime.Id }, Quantity = 2 }), "invoice item");
        Keep(await new InvoiceService(client).FinalizeInvoiceAsync(invoice.Id), "finalized invoice");
        Keep(await new InvoiceService(client).PayAsync(invoice.Id, new InvoicePayOptions { PaymentMethod = pm.Id }), "paid invoice");
        var sub = Keep(await new SubscriptionService(client).CreateAsync(new SubscriptionCreateOptions { Customer = customer.Id, Items = [new SubscriptionItemOptions { Price = monthly.Id }] }), "subscription");
        Keep(await new SubscriptionService(client).CancelAsync(sub.Id), "canceled subscription");
        Keep(await new global::Stripe.BillingPortal.SessionService(client).CreateAsync(new global::Stripe.BillingPortal.SessionCreateOptions { Customer = customer.Id }), "portal session");
        Keep(await new global::Stripe.Billing.MeterEventService(client).CreateAsync(new global::Stripe.Billing.MeterEventCreateOptions
        {
            EventName = "api_calls", Payload = new() { ["stripe_customer_id"] = customer.Id, ["value"] = "3" },
        }), "meter event");
        var account = Keep(await new AccountService(client).CreateAsync(new AccountCreateOptions
        {
            Type = "custom", Country = "US", Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
        }), "connected account");
        Keep(await new AccountLinkService(client).CreateAsync(new AccountLinkCreateOptions { Account = account.Id, Type = "account_onboarding", RefreshUrl = "https://example.com/r", ReturnUrl = "https://example.com/ok" }), "account link");
        Keep(await new TransferService(client).CreateAsync(new TransferCreateOptions { Amount = 1000, Currency = "usd", Destination = account.Id }), "transfer");
        Keep(await new PayoutService(client).CreateAsync(new PayoutCreateOptions { Amount = 500, Currency = "usd" }), "payout");
        Keep(await new BalanceService(client).GetAsync(), "balance");
        Keep(await new BalanceTransactionService(client).ListAsync(), "balance transactions");
        Keep(await new EventService(client).ListAsync(new EventListOptions { Limit = 100 }), "events");

        var lost = _seen.SelectMany(s => Lost(JsonDocument.Parse(s.Json).RootElement, s.Type, s.Where)).Distinct().ToList();
        Assert.True(lost.Count == 0, "Fields Stripe.net does not know:\n" + string.Join("\n", lost));
    }

    private static IEnumerable<string> Lost(JsonElement json, Type type, string path)
    {
        if (json.ValueKind == JsonValueKind.Array)
        {
            var element = ElementType(type);
            foreach (var item in json.EnumerateArray().Take(3))
                foreach (var l in Lost(item, element, path + "[]")) yield return l;
            yield break;
        }
        if (json.ValueKind != JsonValueKind.Object) yield break;
        type = Unwrap(type);
        // Polymorphic slots (an event's data.object is IHasObject) are resolved by Stripe.net at run time.
        if (type == typeof(object) || type == typeof(string) || type.IsPrimitive || type.IsInterface) yield break;
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            foreach (var p in json.EnumerateObject())
                foreach (var l in Lost(p.Value, type.GetGenericArguments()[1], $"{path}.{p.Name}")) yield return l;
            yield break;
        }
        var props = Properties(type);
        foreach (var p in json.EnumerateObject())
        {
            if (!props.TryGetValue(p.Name, out var prop))
            {
                yield return $"{path}.{p.Name} (not on {type.Name})";
                continue;
            }
            foreach (var l in Lost(p.Value, prop.PropertyType, $"{path}.{p.Name}")) yield return l;
        }
    }

    private static Dictionary<string, PropertyInfo> Properties(Type type)
    {
        var result = new Dictionary<string, PropertyInfo>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var p in t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (WireName(p) is { } name)
                {
                    // An expandable field has an id twin (CustomerId) and the object (Customer); prefer the object.
                    if (!result.TryGetValue(name, out var existing) || existing.PropertyType == typeof(string)) result[name] = p;
                }
        return result;
    }

    private static string? WireName(PropertyInfo p) =>
        p.GetCustomAttributes().Select(a => a.GetType().GetProperty("PropertyName")?.GetValue(a) ?? a.GetType().GetProperty("Name")?.GetValue(a))
            .OfType<string>().FirstOrDefault();

    private static Type Unwrap(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t.IsGenericType && t.GetGenericTypeDefinition().Name.StartsWith("ExpandableField", StringComparison.Ordinal)) return t.GetGenericArguments()[0];
        return t;
    }

    private static Type ElementType(Type t)
    {
        t = Unwrap(t);
        if (t.IsArray) return t.GetElementType()!;
        if (t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t)) return Unwrap(t.GetGenericArguments()[0]);
        return typeof(object);
    }
}
