using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Customers
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_customer", "customers.create", "Create customer",
            "Create a Stripe customer: the record payments, invoices and subscriptions are attached to. Check list_customers by email first to avoid duplicates. Returns the whole customer object; use its id (cus_…) in other tools.",
            Post, "/v1/customers", Hints.None,
            [
                new StringParam("name", "The customer's full name or business name.", MaxLength: 256),
                new StringParam("email", "The customer's email address; Stripe sends receipts and invoices to it.", MaxLength: 512),
                new StringParam("phone", "The customer's phone number.", MaxLength: 20),
                Description("An internal note about the customer, not shown to them."),
                Metadata,
            ]),
        new("list_customers", "customers.read", "List customers",
            "List customers, optionally only those with an exact email address." + ListResult,
            Get, "/v1/customers", Read,
            [
                new StringParam("email", "Only customers with exactly this email address (case-sensitive).", MaxLength: 512),
                .. Paging("customers"),
            ]),
    ];
}
