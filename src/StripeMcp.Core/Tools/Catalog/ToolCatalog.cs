
namespace StripeMcp.Tools.Catalog;

/// <summary>
/// The method-dispatch table: every tool this server can offer, one row each. The rows live in
/// Catalog/, one file per Stripe resource; this is the only list of them. What an operator
/// enables is decided by <see cref="ToolPolicy"/>; nothing else registers tools.
/// </summary>
internal static class ToolCatalog
{
    public static IReadOnlyList<ToolDefinition> All { get; } = [.. Rows().Select(t => t.WithCallerKey())];

    private static IEnumerable<ToolDefinition> Rows() =>
    [
        .. Account.Tools(),
        .. Balance.Tools(),
        .. Customers.Tools(),
        .. Products.Tools(),
        .. Prices.Tools(),
        .. Coupons.Tools(),
        .. PromotionCodes.Tools(),
        .. PaymentLinks.Tools(),
        .. CheckoutSessions.Tools(),
        .. PaymentIntents.Tools(),
        .. SetupIntents.Tools(),
        .. PaymentMethods.Tools(),
        .. Charges.Tools(),
        .. Refunds.Tools(),
        .. Disputes.Tools(),
        .. Invoices.Tools(),
        .. InvoiceItems.Tools(),
        .. Subscriptions.Tools(),
        .. BillingPortal.Tools(),
        .. ConnectedAccounts.Tools(),
        .. Transfers.Tools(),
        .. Payouts.Tools(),
        .. Events.Tools(),
        .. WebhookEndpoints.Tools(),
        .. MeterEvents.Tools(),
        .. TestClocks.Tools(),
    ];

    /// <summary>
    /// Named groups of resources an operator can enable in one word (config "toolsets", --toolsets): the typed
    /// tools' resources, and the long-tail resources of the generic API path that belong with them. Resources
    /// in no group (issuing, treasury, terminal …) are enabled by name in "actions", or by "all".
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> Toolsets { get; } = new Dictionary<string, string[]>
    {
        ["account"] = ["account", "balance", "balanceSettings", "countrySpecs"],
        ["customers"] = ["customers", "customerBalanceTransactions", "customerCashBalance", "customerCashBalanceTransactions", "customerTaxIds", "customerSessions", "taxIds"],
        ["catalog"] = ["products", "prices", "coupons", "promotionCodes", "productFeatures", "shippingRates", "taxCodes", "entitlementsFeatures", "plans"],
        ["payments"] = ["paymentIntents", "setupIntents", "paymentMethods", "charges", "refunds", "disputes", "checkoutSessions", "paymentLinks",
            "setupAttempts", "mandates", "paymentMethodDomains", "paymentMethodConfigurations", "reviews", "radarEarlyFraudWarnings", "confirmationTokens"],
        ["billing"] = ["invoices", "invoiceItems", "subscriptions", "billingPortal", "meterEvents", "testClocks",
            "quotes", "creditNotes", "subscriptionSchedules", "subscriptionItems", "taxRates", "invoiceRenderingTemplates", "invoicePayments",
            "billingMeters", "billingMeterEventAdjustments", "billingMeterEventSummaries", "billingPortalConfigurations", "billingCreditGrants",
            "billingCreditBalanceSummaries", "billingCreditBalanceTransactions", "billingAlerts"],
        ["connect"] = ["accounts", "accountLinks", "transfers", "payouts",
            "transferReversals", "applicationFees", "applicationFeeRefunds", "accountExternalAccounts", "accountPersons", "accountCapabilities",
            "accountLoginLinks", "accountSessions", "topups"],
        ["events"] = ["events", "webhookEndpoints"],
        ["docs"] = ["documentation"],
    };

    public static string ToolsetOf(ToolDefinition tool) => Toolsets.First(t => t.Value.Contains(tool.Resource)).Key;

    /// <summary>The typed rows that make one Stripe operation (by <see cref="ToolDefinition.Operation"/>): update, pause and resume_subscription make one.</summary>
    public static IReadOnlyList<ToolDefinition> Making(string operation) => ByOperation.Value.GetValueOrDefault(operation) ?? [];

    private static readonly Lazy<Dictionary<string, ToolDefinition[]>> ByOperation = new(() => All.GroupBy(t => t.Operation).ToDictionary(g => g.Key, g => g.ToArray()));

    /// <summary>The row named so, by its name or one of its aliases.</summary>
    public static ToolDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    private static readonly Dictionary<string, ToolDefinition> ByName =
        All.SelectMany(t => t.Aliases.Prepend(t.Name).Select(n => KeyValuePair.Create(n, t))).ToDictionary(); // throws on a name used twice

    /// <summary>Toolset names as config and flags accept them, "all" included.</summary>
    public static IReadOnlyList<string> ToolsetNames { get; } = [.. Toolsets.Keys, "all"];

    /// <summary>What config "limits" rules may name: the resources and then the tools that move money.</summary>
    public static IReadOnlyList<string> LimitKeys { get; } =
        [.. All.Where(t => t.Money is not null).Select(t => t.Resource).Distinct(), .. All.Where(t => t.Money is not null).Select(t => t.Name)];
}
