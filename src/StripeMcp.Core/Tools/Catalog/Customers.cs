using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Customers
{
    private static Param[] Editable(string verb) =>
    [
        new StringParam("name", "Full or business name.", MaxLength: 256),
        new StringParam("email", "Receipts and invoices go here.", MaxLength: 512),
        new StringParam("phone", "Phone number.", MaxLength: 20),
        Description("Internal note, not shown to the customer."),
        new ObjectParam("address", $"Billing address{verb}.",
        [
            new StringParam("line1", "Street address.", MaxLength: 200),
            new StringParam("line2", "Apartment, suite, unit.", MaxLength: 200),
            new StringParam("city", "City or town.", MaxLength: 200),
            new StringParam("state", "State, province or region.", MaxLength: 200),
            new StringParam("postal_code", "ZIP or postal code.", MaxLength: 20),
            new StringParam("country", "Two-letter ISO code, e.g. US.", MaxLength: 2),
        ]),
        Metadata,
    ];

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_customer", "customers.create", "Create customer",
            "Create a customer: the record payments, invoices and subscriptions attach to. Check list_customers by email first to avoid duplicates.",
            Post, "/v1/customers", Hints.Write,
            [
                .. Editable(""),
                Id("payment_method", "pm_", "Attach it to the new customer (test card: pm_card_visa)."),
                Id("test_clock", "clock_", "Test mode: the customer lives on this test clock's time."),
            ]),
        new("retrieve_customer", "customers.read", "Retrieve customer",
            "Retrieve one customer: contact details, balance, default payment method (invoice_settings.default_payment_method), metadata. A deleted one comes back as {id, deleted: true}.",
            Get, "/v1/customers/{customer}", Read,
            [Id("customer", "cus_", required: true)]),
        new("update_customer", "customers.update", "Update customer",
            "Change a customer's details; only the fields given change.",
            Post, "/v1/customers/{customer}", Hints.Idempotent,
            [
                Id("customer", "cus_", required: true),
                .. Editable(" (replaces the stored one)"),
                new ObjectParam("invoice_settings", "Invoice defaults.",
                [
                    Id("default_payment_method", "pm_", "An attached payment method, charged for invoices and subscriptions."),
                    new StringParam("footer", "Footer of their invoices.", MaxLength: 5000),
                ]),
            ]),
        new("delete_customer", "customers.delete", "Delete customer",
            "Permanently delete a customer. Their active subscriptions are cancelled at once and their saved payment methods can no longer be charged; past payments and invoices remain. This cannot be undone.",
            Delete, "/v1/customers/{customer}", Hints.Destructive | Hints.Idempotent,
            [Id("customer", "cus_", required: true)]),
        new("list_customers", "customers.read", "List customers",
            "List customers, optionally by exact email.",
            Get, "/v1/customers", Read,
            [
                new StringParam("email", "Exact, case-sensitive.", MaxLength: 512),
                .. Paging,
            ]),
        new("search_customers", "customers.read", "Search customers",
            "Find customers by email, name, phone, metadata or creation time, with partial matches (~), which list_customers cannot do.",
            Get, "/v1/customers/search", Read,
            [.. Search("email, name, phone, created, metadata", "name~\"rosen\" AND metadata['plan']:'pro'")]),
    ];
}
