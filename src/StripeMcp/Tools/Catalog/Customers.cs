using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Customers
{
    private static Param[] Editable(string verb) =>
    [
        new StringParam("name", "The customer's full name or business name.", MaxLength: 256),
        new StringParam("email", "The customer's email address; Stripe sends receipts and invoices to it.", MaxLength: 512),
        new StringParam("phone", "The customer's phone number.", MaxLength: 20),
        Description("An internal note about the customer, not shown to them."),
        new ObjectParam("address", $"The customer's billing address{verb}.",
        [
            new StringParam("line1", "Street address.", MaxLength: 200),
            new StringParam("line2", "Apartment, suite, unit.", MaxLength: 200),
            new StringParam("city", "City or town.", MaxLength: 200),
            new StringParam("state", "State, county, province or region.", MaxLength: 200),
            new StringParam("postal_code", "ZIP or postal code.", MaxLength: 20),
            new StringParam("country", "Two-letter ISO country code, e.g. \"US\".", MaxLength: 2),
        ]),
        Metadata,
    ];

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_customer", "customers.create", "Create customer",
            "Create a Stripe customer: the record payments, invoices and subscriptions are attached to. Check list_customers by email first to avoid duplicates. Returns the whole customer object; use its id (cus_…) in other tools.",
            Post, "/v1/customers", Hints.None,
            [
                .. Editable(""),
                Id("payment_method", "pm_", "A payment method to attach to the new customer (pm_…, or a test card such as pm_card_visa)."),
            ]),
        new("retrieve_customer", "customers.read", "Retrieve customer",
            "Retrieve one customer by id: contact details, balance, default payment method (invoice_settings.default_payment_method), metadata. A deleted customer comes back as {id, deleted: true}.",
            Get, "/v1/customers/{customer}", Read,
            [Id("customer", "cus_", "The id of the customer (cus_…).", required: true)]),
        new("update_customer", "customers.update", "Update customer",
            "Change a customer's details. Only the fields you give change; metadata keys are merged (set a key to \"\" to remove it). Returns the whole updated customer.",
            Post, "/v1/customers/{customer}", Hints.Idempotent,
            [
                Id("customer", "cus_", "The id of the customer (cus_…).", required: true),
                .. Editable(" (replaces the stored one)"),
                new ObjectParam("invoice_settings", "Invoice defaults for the customer.",
                [
                    Id("default_payment_method", "pm_", "The attached payment method (pm_…) to charge for invoices and subscriptions."),
                    new StringParam("footer", "Default footer shown on the customer's invoices.", MaxLength: 5000),
                ]),
            ]),
        new("delete_customer", "customers.delete", "Delete customer",
            "Permanently delete a customer. Their active subscriptions are cancelled at once and their saved payment methods can no longer be charged; past payments and invoices remain. This cannot be undone.",
            Delete, "/v1/customers/{customer}", Hints.Destructive | Hints.Idempotent,
            [Id("customer", "cus_", "The id of the customer to delete (cus_…).", required: true)]),
        new("list_customers", "customers.read", "List customers",
            "List customers, optionally only those with an exact email address.",
            Get, "/v1/customers", Read,
            [
                new StringParam("email", "Only customers with exactly this email address (case-sensitive).", MaxLength: 512),
                .. Paging,
            ]),
        new("search_customers", "customers.read", "Search customers",
            "Find customers by email, name, phone, metadata or creation time, with partial matches (~) that list_customers cannot do.",
            Get, "/v1/customers/search", Read,
            [.. Search("email, name, phone, created, metadata", "name~\"rosen\" AND metadata['plan']:'pro'")]),
    ];
}
