using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class BillingPortal
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_billing_portal_session", "billingPortal.create", "Create billing portal session",
            "Create a link to Stripe's customer portal, where one customer updates payment methods, sees invoices and manages subscriptions. Send its url to that customer only: it is short-lived and signs them in.",
            Post, "/v1/billing_portal/sessions", Hints.Write,
            [
                Id("customer", "cus_", required: true),
                new StringParam("return_url", "https URL of the portal's back link.", MaxLength: 5000),
                new StringParam("locale", "E.g. en, fr (default: the browser's).", MaxLength: 10),
            ]),
    ];
}
