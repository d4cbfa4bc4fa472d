using System.Reflection;
using global::Stripe;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>
/// Every argument a tool sends is a parameter Stripe.net's own options class for that call knows,
/// at every level of nesting: our names are Stripe's names, checked against the SDK.
/// </summary>
public sealed class StripeNamesTests
{
    private static readonly Dictionary<string, Type> OptionsOf = new()
    {
        ["retrieve_balance"] = typeof(BalanceGetOptions),
        ["create_customer"] = typeof(CustomerCreateOptions),
        ["list_customers"] = typeof(CustomerListOptions),
        ["create_product"] = typeof(ProductCreateOptions),
        ["list_products"] = typeof(ProductListOptions),
        ["create_price"] = typeof(PriceCreateOptions),
        ["list_prices"] = typeof(PriceListOptions),
        ["create_coupon"] = typeof(CouponCreateOptions),
        ["list_coupons"] = typeof(CouponListOptions),
        ["create_payment_link"] = typeof(PaymentLinkCreateOptions),
        ["list_payment_intents"] = typeof(PaymentIntentListOptions),
        ["create_refund"] = typeof(RefundCreateOptions),
        ["list_disputes"] = typeof(DisputeListOptions),
        ["update_dispute"] = typeof(DisputeUpdateOptions),
        ["create_invoice"] = typeof(InvoiceCreateOptions),
        ["list_invoices"] = typeof(InvoiceListOptions),
        ["finalize_invoice"] = typeof(InvoiceFinalizeOptions),
        ["create_invoice_item"] = typeof(InvoiceItemCreateOptions),
        ["list_subscriptions"] = typeof(SubscriptionListOptions),
        ["update_subscription"] = typeof(SubscriptionUpdateOptions),
        ["cancel_subscription"] = typeof(SubscriptionCancelOptions),
    };

    [Fact]
    public void Every_tool_maps_to_a_Stripe_net_options_class() =>
        Assert.Equal(ToolCatalog.All.Select(t => t.Name).Order(), OptionsOf.Keys.Order());

    [Fact]
    public void Every_argument_is_a_Stripe_parameter_name()
    {
        var unknown = new List<string>();
        foreach (var tool in ToolCatalog.All)
        {
            var pathParams = tool.PathParams.ToHashSet();
            Check(tool.Params.Where(p => !pathParams.Contains(p.Name)), OptionsOf[tool.Name], tool.Name, unknown);
        }
        Assert.Empty(unknown);
    }

    private static void Check(IEnumerable<Param> fields, Type options, string where, List<string> unknown)
    {
        var known = options.GetProperties().Select(p => (Name: WireName(p), Property: p)).Where(x => x.Name is not null)
            .ToDictionary(x => x.Name!, x => x.Property);
        foreach (var field in fields)
        {
            if (!known.TryGetValue(field.Name, out var property))
            {
                unknown.Add($"{where}.{field.Name} is not a parameter of {options.Name}");
                continue;
            }
            var nested = field switch
            {
                ObjectParam o => o.Fields,
                ArrayParam { Item: ObjectParam o } => o.Fields,
                _ => null,
            };
            if (nested is not null) Check(nested, ElementType(property.PropertyType), $"{where}.{field.Name}", unknown);
        }
    }

    private static string? WireName(PropertyInfo p) =>
        p.GetCustomAttributes().Select(a => a.GetType().GetProperty("PropertyName")?.GetValue(a) ?? a.GetType().GetProperty("Name")?.GetValue(a))
            .OfType<string>().FirstOrDefault();

    private static Type ElementType(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? t.GetGenericArguments()[0] : t;
}
