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
        ["get_account_info"] = typeof(AccountGetOptions),
        ["list_balance_transactions"] = typeof(BalanceTransactionListOptions),
        ["retrieve_customer"] = typeof(CustomerGetOptions),
        ["update_customer"] = typeof(CustomerUpdateOptions),
        ["delete_customer"] = typeof(CustomerDeleteOptions),
        ["search_customers"] = typeof(CustomerSearchOptions),
        ["retrieve_product"] = typeof(ProductGetOptions),
        ["update_product"] = typeof(ProductUpdateOptions),
        ["search_products"] = typeof(ProductSearchOptions),
        ["retrieve_price"] = typeof(PriceGetOptions),
        ["update_price"] = typeof(PriceUpdateOptions),
        ["search_prices"] = typeof(PriceSearchOptions),
        ["delete_coupon"] = typeof(CouponDeleteOptions),
        ["create_promotion_code"] = typeof(PromotionCodeCreateOptions),
        ["list_promotion_codes"] = typeof(PromotionCodeListOptions),
        ["list_payment_links"] = typeof(PaymentLinkListOptions),
        ["update_payment_link"] = typeof(PaymentLinkUpdateOptions),
        ["create_checkout_session"] = typeof(global::Stripe.Checkout.SessionCreateOptions),
        ["retrieve_checkout_session"] = typeof(global::Stripe.Checkout.SessionGetOptions),
        ["list_checkout_sessions"] = typeof(global::Stripe.Checkout.SessionListOptions),
        ["list_checkout_session_line_items"] = typeof(global::Stripe.Checkout.SessionLineItemListOptions),
        ["expire_checkout_session"] = typeof(global::Stripe.Checkout.SessionExpireOptions),
        ["create_payment_intent"] = typeof(PaymentIntentCreateOptions),
        ["retrieve_payment_intent"] = typeof(PaymentIntentGetOptions),
        ["update_payment_intent"] = typeof(PaymentIntentUpdateOptions),
        ["search_payment_intents"] = typeof(PaymentIntentSearchOptions),
        ["confirm_payment_intent"] = typeof(PaymentIntentConfirmOptions),
        ["capture_payment_intent"] = typeof(PaymentIntentCaptureOptions),
        ["cancel_payment_intent"] = typeof(PaymentIntentCancelOptions),
        ["create_setup_intent"] = typeof(SetupIntentCreateOptions),
        ["retrieve_setup_intent"] = typeof(SetupIntentGetOptions),
        ["list_setup_intents"] = typeof(SetupIntentListOptions),
        ["list_payment_methods"] = typeof(PaymentMethodListOptions),
        ["attach_payment_method"] = typeof(PaymentMethodAttachOptions),
        ["detach_payment_method"] = typeof(PaymentMethodDetachOptions),
        ["retrieve_charge"] = typeof(ChargeGetOptions),
        ["list_charges"] = typeof(ChargeListOptions),
        ["search_charges"] = typeof(ChargeSearchOptions),
        ["retrieve_refund"] = typeof(RefundGetOptions),
        ["list_refunds"] = typeof(RefundListOptions),
        ["retrieve_dispute"] = typeof(DisputeGetOptions),
        ["close_dispute"] = typeof(DisputeCloseOptions),
        ["retrieve_invoice"] = typeof(InvoiceGetOptions),
        ["search_invoices"] = typeof(InvoiceSearchOptions),
        ["send_invoice"] = typeof(InvoiceSendOptions),
        ["pay_invoice"] = typeof(InvoicePayOptions),
        ["void_invoice"] = typeof(InvoiceVoidOptions),
        ["list_invoice_items"] = typeof(InvoiceItemListOptions),
        ["create_subscription"] = typeof(SubscriptionCreateOptions),
        ["retrieve_subscription"] = typeof(SubscriptionGetOptions),
        ["search_subscriptions"] = typeof(SubscriptionSearchOptions),
        ["pause_subscription"] = typeof(SubscriptionUpdateOptions),
        ["resume_subscription"] = typeof(SubscriptionUpdateOptions),
        ["create_billing_portal_session"] = typeof(global::Stripe.BillingPortal.SessionCreateOptions),
        ["create_connected_account"] = typeof(AccountCreateOptions),
        ["retrieve_connected_account"] = typeof(AccountGetOptions),
        ["list_connected_accounts"] = typeof(AccountListOptions),
        ["create_account_link"] = typeof(AccountLinkCreateOptions),
        ["create_transfer"] = typeof(TransferCreateOptions),
        ["list_transfers"] = typeof(TransferListOptions),
        ["list_payouts"] = typeof(PayoutListOptions),
        ["list_events"] = typeof(EventListOptions),
        ["retrieve_event"] = typeof(EventGetOptions),
        ["create_meter_event"] = typeof(global::Stripe.Billing.MeterEventCreateOptions),
        ["create_webhook_endpoint"] = typeof(WebhookEndpointCreateOptions),
        ["list_webhook_endpoints"] = typeof(WebhookEndpointListOptions),
        ["retrieve_webhook_endpoint"] = typeof(WebhookEndpointGetOptions),
        ["update_webhook_endpoint"] = typeof(WebhookEndpointUpdateOptions),
        ["delete_webhook_endpoint"] = typeof(WebhookEndpointDeleteOptions),
        ["create_test_clock"] = typeof(global::Stripe.TestHelpers.TestClockCreateOptions),
        ["advance_test_clock"] = typeof(global::Stripe.TestHelpers.TestClockAdvanceOptions),
        ["retrieve_test_clock"] = typeof(global::Stripe.TestHelpers.TestClockGetOptions),
        ["list_test_clocks"] = typeof(global::Stripe.TestHelpers.TestClockListOptions),
        ["delete_test_clock"] = typeof(global::Stripe.TestHelpers.TestClockDeleteOptions),
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
            // idempotency_key is ours: it selects the Idempotency-Key header and is never sent as a field.
            Check(tool.Params.Where(p => !pathParams.Contains(p.Name) && p.Name != ToolDefinition.IdempotencyArgument), OptionsOf[tool.Name], tool.Name, unknown);
            foreach (var (name, _) in tool.Fixed)
                Check([new StringParam(name, "fixed")], OptionsOf[tool.Name], tool.Name, unknown);
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
            // A Dictionary-typed option (meter event payload) takes free-form keys: nothing to check below it.
            var type = ElementType(property.PropertyType);
            if (nested is not null && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>)))
                Check(nested, type, $"{where}.{field.Name}", unknown);
        }
    }

    private static string? WireName(PropertyInfo p) =>
        p.GetCustomAttributes().Select(a => a.GetType().GetProperty("PropertyName")?.GetValue(a) ?? a.GetType().GetProperty("Name")?.GetValue(a))
            .OfType<string>().FirstOrDefault();

    private static Type ElementType(Type t) =>
        t.IsGenericType && t.GetGenericTypeDefinition() == typeof(List<>) ? t.GetGenericArguments()[0] : t;
}
