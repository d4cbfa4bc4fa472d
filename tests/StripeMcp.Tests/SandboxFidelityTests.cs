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
        OnlyStripesEventTypes(sandbox);
    }

    [Fact]
    public async Task The_long_tail_resources_deserialize_into_Stripe_net_with_no_field_lost()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var client = new StripeClient(new StripeClientOptions { ApiKey = "sk_test_fidelity", ApiBase = sandbox.BaseUrl, ConnectBase = sandbox.BaseUrl });
        var product = await new ProductService(client).CreateAsync(new ProductCreateOptions { Name = "Seat" });
        var monthly = await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 2000, Recurring = new PriceRecurringOptions { Interval = "month" } });
        var yearly = await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 20000, Recurring = new PriceRecurringOptions { Interval = "year" } });
        var setup = await new PriceService(client).CreateAsync(new PriceCreateOptions { Product = product.Id, Currency = "usd", UnitAmount = 5000 });
        var customer = await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Name = "Ada" });
        var pm = Keep(await new PaymentMethodService(client).CreateAsync(new PaymentMethodCreateOptions { Type = "card", Card = new PaymentMethodCardOptions { Token = "tok_visa" } }), "created payment method");
        await new PaymentMethodService(client).AttachAsync(pm.Id, new PaymentMethodAttachOptions { Customer = customer.Id });
        Keep(await new CustomerPaymentMethodService(client).ListAsync(customer.Id), "customer payment methods");
        Keep(await new CustomerPaymentMethodService(client).GetAsync(customer.Id, pm.Id), "customer payment method");

        var rate = Keep(await new TaxRateService(client).CreateAsync(new TaxRateCreateOptions { DisplayName = "VAT", Percentage = 20, Inclusive = false, Country = "DE", TaxType = "vat" }), "tax rate");
        Keep(await new CustomerBalanceTransactionService(client).CreateAsync(customer.Id, new CustomerBalanceTransactionCreateOptions { Amount = -500, Currency = "usd", Description = "goodwill" }), "balance transaction");
        Keep(await new CustomerBalanceTransactionService(client).ListAsync(customer.Id), "balance transactions");

        var invoice = await new InvoiceService(client).CreateAsync(new InvoiceCreateOptions { Customer = customer.Id });
        await new InvoiceItemService(client).CreateAsync(new InvoiceItemCreateOptions { Customer = customer.Id, Invoice = invoice.Id, Pricing = new InvoiceItemPricingOptions { Price = setup.Id }, TaxRates = [rate.Id] });
        Keep(await new InvoiceService(client).FinalizeInvoiceAsync(invoice.Id), "taxed invoice");
        Keep(await new InvoiceLineItemService(client).ListAsync(invoice.Id), "invoice lines");
        Keep(await new InvoiceService(client).PayAsync(invoice.Id, new InvoicePayOptions { PaymentMethod = pm.Id }), "paid taxed invoice");
        Keep(await new CreditNoteService(client).PreviewAsync(new CreditNotePreviewOptions { Invoice = invoice.Id, Amount = 1000 }), "credit note preview");
        var note = Keep(await new CreditNoteService(client).CreateAsync(new CreditNoteCreateOptions { Invoice = invoice.Id, Amount = 1000, RefundAmount = 1000 }), "credit note");
        Keep(await new CreditNoteService(client).ListLineItemsAsync(note.Id), "credit note lines");
        Keep(await new CreditNotePreviewLinesService(client).ListAsync(new CreditNotePreviewLinesListOptions { Invoice = invoice.Id, Amount = 500 }), "credit note preview lines");

        var quote = Keep(await new QuoteService(client).CreateAsync(new QuoteCreateOptions
        {
            Customer = customer.Id, LineItems = [new QuoteLineItemOptions { Price = monthly.Id, Quantity = 2 }, new QuoteLineItemOptions { Price = setup.Id }],
        }), "quote");
        Keep(await new QuoteService(client).FinalizeQuoteAsync(quote.Id), "open quote");
        Keep(await new QuoteLineItemService(client).ListAsync(quote.Id), "quote line items");
        Keep(await new QuoteService(client).AcceptAsync(quote.Id), "accepted quote");

        var schedule = Keep(await new SubscriptionScheduleService(client).CreateAsync(new SubscriptionScheduleCreateOptions
        {
            Customer = customer.Id, StartDate = SubscriptionScheduleStartDate.Now,
            Phases =
            [
                new SubscriptionSchedulePhaseOptions { Items = [new SubscriptionSchedulePhaseItemOptions { Price = monthly.Id }], Duration = new SubscriptionSchedulePhaseDurationOptions { Interval = "month", IntervalCount = 3 } },
                new SubscriptionSchedulePhaseOptions { Items = [new SubscriptionSchedulePhaseItemOptions { Price = monthly.Id, Quantity = 5 }] },
            ],
        }), "subscription schedule");
        var sub = Keep(await new SubscriptionService(client).GetAsync(schedule.SubscriptionId), "scheduled subscription");
        var item = Keep(await new SubscriptionItemService(client).CreateAsync(new SubscriptionItemCreateOptions { Subscription = sub.Id, Price = yearly.Id, Quantity = 1 }), "subscription item");
        Keep(await new SubscriptionItemService(client).ListAsync(new SubscriptionItemListOptions { Subscription = sub.Id }), "subscription items");
        Keep(await new SubscriptionItemService(client).DeleteAsync(item.Id), "deleted subscription item");
        Keep(await new SubscriptionScheduleService(client).ReleaseAsync(schedule.Id), "released schedule");
        Keep(await new SubscriptionService(client).UpdateAsync(sub.Id, new SubscriptionUpdateOptions
        {
            Items = [new SubscriptionItemOptions { Id = sub.Items.Data[0].Id, Quantity = 4 }], ProrationBehavior = "always_invoice",
        }), "prorated subscription");
        Keep(await new InvoiceItemService(client).ListAsync(new InvoiceItemListOptions { Customer = customer.Id }), "proration items");
        Keep(await new InvoiceService(client).ListAsync(new InvoiceListOptions { Customer = customer.Id }), "proration invoices");

        var si = Keep(await new SetupIntentService(client).CreateAsync(new SetupIntentCreateOptions { Customer = customer.Id }), "setup intent");
        Keep(await new SetupIntentService(client).ConfirmAsync(si.Id, new SetupIntentConfirmOptions { PaymentMethod = "pm_card_mastercard" }), "confirmed setup intent");
        Keep(await new SetupIntentService(client).CancelAsync((await new SetupIntentService(client).CreateAsync(new SetupIntentCreateOptions())).Id), "canceled setup intent");

        await new PaymentIntentService(client).CreateAsync(new PaymentIntentCreateOptions { Amount = 100_000, Currency = "usd", PaymentMethod = "pm_card_visa", Confirm = true });
        var account = await new AccountService(client).CreateAsync(new AccountCreateOptions
        {
            Type = "custom", Country = "US", Capabilities = new AccountCapabilitiesOptions { Transfers = new AccountCapabilitiesTransfersOptions { Requested = true } },
        });
        var transfer = await new TransferService(client).CreateAsync(new TransferCreateOptions { Amount = 1000, Currency = "usd", Destination = account.Id });
        Keep(await new TransferReversalService(client).CreateAsync(transfer.Id, new TransferReversalCreateOptions { Amount = 400 }), "transfer reversal");
        Keep(await new TransferService(client).GetAsync(transfer.Id), "partly reversed transfer");
        Keep(await new TransferReversalService(client).ListAsync(transfer.Id), "transfer reversals");
        var payout = await new PayoutService(client).CreateAsync(new PayoutCreateOptions { Amount = 500, Currency = "usd" });
        Keep(await new PayoutService(client).CancelAsync(payout.Id), "canceled payout");

        var clock = Keep(await new global::Stripe.TestHelpers.TestClockService(client).CreateAsync(new global::Stripe.TestHelpers.TestClockCreateOptions { FrozenTime = DateTime.UtcNow, Name = "fidelity" }), "test clock");
        var onClock = await new CustomerService(client).CreateAsync(new CustomerCreateOptions { Name = "On a clock", TestClock = clock.Id });
        await new PaymentMethodService(client).AttachAsync("pm_card_visa", new PaymentMethodAttachOptions { Customer = onClock.Id });
        Keep(await new SubscriptionService(client).CreateAsync(new SubscriptionCreateOptions { Customer = onClock.Id, Items = [new SubscriptionItemOptions { Price = monthly.Id }], TrialPeriodDays = 3 }), "subscription on a clock");
        Keep(await new global::Stripe.TestHelpers.TestClockService(client).AdvanceAsync(clock.Id, new global::Stripe.TestHelpers.TestClockAdvanceOptions { FrozenTime = DateTime.UtcNow.AddDays(40) }), "advancing clock");
        Keep(await new global::Stripe.TestHelpers.TestClockService(client).GetAsync(clock.Id), "ready clock");
        Keep(await new InvoiceService(client).ListAsync(new InvoiceListOptions { Customer = onClock.Id }), "renewal invoices");
        Keep(await new WebhookEndpointService(client).CreateAsync(new WebhookEndpointCreateOptions { Url = "https://example.com/hook", EnabledEvents = ["invoice.paid"] }), "webhook endpoint");
        Keep(await new EventService(client).ListAsync(new EventListOptions { Limit = 100 }), "long-tail events");

        var lost = _seen.SelectMany(s => Lost(JsonDocument.Parse(s.Json).RootElement, s.Type, s.Where)).Distinct().ToList();
        Assert.True(lost.Count == 0, "Fields Stripe.net does not know:\n" + string.Join("\n", lost));
        OnlyStripesEventTypes(sandbox);
    }

    /// <summary>Every event the flow made is of a type Stripe emits (Stripe.net's EventTypes), never one the sandbox made up.</summary>
    private static void OnlyStripesEventTypes(Sandbox.Sandbox sandbox)
    {
        var stripes = typeof(EventTypes).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToHashSet();
        Assert.True(stripes.Count > 200, $"only {stripes.Count} event types in Stripe.net");
        var made = sandbox.State.List(SandboxState.Platform, "event").Select(e => e["type"]!.GetValue<string>()).Distinct().Order().ToList();
        Assert.True(made.Count > 10, $"only {made.Count} event types made");
        var invented = made.Where(t => !stripes.Contains(t)).ToList();
        Assert.True(invented.Count == 0, "event types Stripe does not emit: " + string.Join(", ", invented));
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
