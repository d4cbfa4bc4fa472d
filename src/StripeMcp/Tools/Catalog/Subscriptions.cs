using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Subscriptions
{
    private static readonly string[] Statuses =
        ["active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "trialing", "paused", "all", "ended"];

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_subscriptions", "subscriptions.read", "List subscriptions",
            "List subscriptions, optionally for one customer or price, or in one status. Without status, canceled subscriptions are left out; use status \"all\" to include them." + ListResult,
            Get, "/v1/subscriptions", Read,
            [
                Id("customer", "cus_", "Only subscriptions of this customer (cus_…)."),
                Id("price", "price_", "Only subscriptions that include this recurring price (price_…)."),
                new StringParam("status", "Only subscriptions in this status; \"all\" includes canceled ones, \"ended\" only canceled and expired ones.", Enum: Statuses),
                .. Paging("subscriptions"),
            ]),
        new("update_subscription", "subscriptions.update", "Update subscription",
            "Change a subscription: swap or add prices, change quantities, remove items, or schedule cancellation at the end of the period. Changing items prorates by default (proration_behavior). To change an existing item, give its subscription item id (si_…) from the subscription's items. Returns the whole subscription object.",
            Post, "/v1/subscriptions/{subscription}", Hints.None,
            [
                Id("subscription", "sub_", "The id of the subscription (sub_…).", required: true),
                new ArrayParam("items", "Items to change, add or remove.",
                    new ObjectParam("item", "One subscription item: give id to change or remove an existing item, or price to add a new one.",
                    [
                        Id("id", "si_", "The subscription item to change or remove (si_…)."),
                        Id("price", "price_", "The recurring price (price_…) to switch the item to, or to add."),
                        new IntParam("quantity", "The new quantity.", Minimum: 0, Maximum: 999_999),
                        new BoolParam("deleted", "true removes the item given by id."),
                    ]), MaxItems: 20),
                new StringParam("proration_behavior", "How to bill a change mid-period: \"create_prorations\" (default, credit and charge on the next invoice), \"always_invoice\" (invoice the difference now) or \"none\".", Enum: ["create_prorations", "none", "always_invoice"]),
                new BoolParam("cancel_at_period_end", "true cancels the subscription at the end of the current period; false undoes a scheduled cancellation."),
                Id("default_payment_method", "pm_", "The payment method (pm_…) to charge for this subscription."),
                Description("A description, visible to you and in the customer portal."),
                Metadata,
            ]),
        new("cancel_subscription", "subscriptions.update", "Cancel subscription",
            "Cancel a subscription now: the customer is no longer billed and it cannot be reactivated. To stop at the end of the paid period instead, use update_subscription with cancel_at_period_end. Returns the whole subscription object with status \"canceled\".",
            Delete, "/v1/subscriptions/{subscription}", Hints.Destructive,
            [
                Id("subscription", "sub_", "The id of the subscription to cancel (sub_…).", required: true),
                new BoolParam("invoice_now", "true invoices any pending usage and prorations now."),
                new BoolParam("prorate", "true credits the unused part of the period on a final invoice."),
                new ObjectParam("cancellation_details", "Why the customer cancelled.",
                [
                    new StringParam("comment", "The customer's own words.", MaxLength: 5000),
                    new StringParam("feedback", "The reason, one of Stripe's categories.", Enum: ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"]),
                ]),
            ]),
    ];
}
