using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentMethods
{
    private static IdParam PaymentMethod(string what) => Id("payment_method", "pm_", what, required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_payment_methods", "paymentMethods.read", "List payment methods",
            "List a customer's saved payment methods (cards and others): brand, last4, expiry. Use one of their ids to charge the customer or as their default.",
            Get, "/v1/payment_methods", Read,
            [
                Id("customer", "cus_", "The customer (cus_…) whose payment methods to list.", required: true),
                new StringParam("type", "Only payment methods of this type, e.g. card.", MaxLength: 50),
                .. Paging,
            ]),
        new("attach_payment_method", "paymentMethods.update", "Attach payment method",
            "Attach a payment method to a customer so it can be charged later (e.g. for invoices and subscriptions). Test cards such as pm_card_visa become a new saved payment method. Returns the whole payment method.",
            Post, "/v1/payment_methods/{payment_method}/attach", Hints.None,
            [
                PaymentMethod("The payment method (pm_…, or a test card like pm_card_visa) to attach."),
                Id("customer", "cus_", "The customer (cus_…) to attach it to.", required: true),
            ]),
        new("detach_payment_method", "paymentMethods.update", "Detach payment method",
            "Detach a payment method from its customer: it can no longer be charged or used again. Subscriptions using it as their default will fail to renew. This cannot be undone.",
            Post, "/v1/payment_methods/{payment_method}/detach", Hints.Destructive,
            [PaymentMethod("The payment method (pm_…) to detach.")]),
    ];
}
