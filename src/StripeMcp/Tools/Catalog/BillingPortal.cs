using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class BillingPortal
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_billing_portal_session", "billingPortal.create", "Create billing portal session",
            "Create a link to Stripe's customer portal for one customer, where they can update payment methods, see invoices and manage subscriptions themselves. Send the returned `url` to that customer only; it is short-lived and signs them in.",
            Post, "/v1/billing_portal/sessions", Hints.None,
            [
                Id("customer", "cus_", "The customer (cus_…) the portal is for.", required: true),
                new StringParam("return_url", "Where the portal's back link sends the customer (https URL).", MaxLength: 5000),
                new StringParam("locale", "The portal's language, e.g. \"en\", \"fr\" (default: the browser's).", MaxLength: 10),
            ]),
    ];
}
