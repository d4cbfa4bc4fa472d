using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class PaymentMethods
{
    private static IdParam PaymentMethod(string what = "") => Id("payment_method", "pm_", what, required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_payment_methods", "paymentMethods.read", "List payment methods",
            "List a customer's saved payment methods (cards and others): brand, last4, expiry. Charge one, or make it their default.",
            Get, "/v1/payment_methods", Read,
            [
                Id("customer", "cus_", required: true),
                new StringParam("type", "E.g. card.", MaxLength: 50),
                .. Paging,
            ]),
        new("attach_payment_method", "paymentMethods.update", "Attach payment method",
            "Attach a payment method to a customer to charge later (e.g. invoices, subscriptions). A test card such as pm_card_visa becomes a new saved payment method.",
            Post, "/v1/payment_methods/{payment_method}/attach", Hints.Write,
            [
                PaymentMethod("Test card: pm_card_visa."),
                Id("customer", "cus_", required: true),
            ]),
        new("detach_payment_method", "paymentMethods.update", "Detach payment method",
            "Detach a payment method from its customer: it can never be charged again, and subscriptions with it as default fail to renew. Cannot be undone.",
            Post, "/v1/payment_methods/{payment_method}/detach", Hints.Destructive,
            [PaymentMethod()]),
    ];
}
