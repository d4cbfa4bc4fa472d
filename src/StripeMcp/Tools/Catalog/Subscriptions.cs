using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Subscriptions
{
    private static readonly string[] Statuses =
        ["active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "trialing", "paused", "all", "ended"];

    private static IdParam Subscription(string what) => Id("subscription", "sub_", what, required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_subscription", "subscriptions.create", "Create subscription",
            "Subscribe a customer to one or more recurring prices. The first invoice is created and, with the default payment_behavior \"allow_incomplete\", charged to default_payment_method or the customer's default: status becomes active, or incomplete if the payment fails or there is no payment method. trial_period_days starts with a free trial (status trialing). Returns the whole subscription with latest_invoice.",
            Post, "/v1/subscriptions", Hints.None,
            [
                Id("customer", "cus_", "The customer (cus_…) to subscribe.", required: true),
                new ArrayParam("items", "The recurring prices to subscribe to, 1 to 20.",
                    new ObjectParam("item", "One recurring price and its quantity.",
                    [
                        Id("price", "price_", "The id of a recurring price (price_…).", required: true),
                        new IntParam("quantity", "How many units (seats). Defaults to 1.", Minimum: 1, Maximum: 999_999),
                    ]), Required: true, MinItems: 1, MaxItems: 20),
                Id("default_payment_method", "pm_", "The customer's attached payment method (pm_…) to charge."),
                new IntParam("trial_period_days", "Days of free trial before the first charge.", Minimum: 1, Maximum: 730),
                new StringParam("payment_behavior", "What to do if the first payment fails: allow_incomplete (default, status incomplete), default_incomplete (always start incomplete, for a front end to confirm), error_if_incomplete (fail the call).", Enum: ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"]),
                new StringParam("collection_method", "charge_automatically (default) or send_invoice (email invoices; give days_until_due).", Enum: ["charge_automatically", "send_invoice"]),
                new IntParam("days_until_due", "With send_invoice: days the customer has to pay each invoice.", Minimum: 0, Maximum: 1825),
                new BoolParam("cancel_at_period_end", "true ends the subscription at the end of the first period."),
                Description("A description, visible to you and in the customer portal."),
                Metadata,
            ])
        {
            Money = MoneyOf.NewSubscription,
            Check = a => a.Has("collection_method") && a["collection_method"].GetString() == "send_invoice" && !a.Has("days_until_due")
                ? ["days_until_due: is required when collection_method is \"send_invoice\""] : [],
        },
        new("retrieve_subscription", "subscriptions.read", "Retrieve subscription",
            "Retrieve one subscription: status (trialing, active, incomplete, past_due, unpaid, canceled, paused), items with their prices and current periods, pause_collection, cancel_at_period_end and latest_invoice.",
            Get, "/v1/subscriptions/{subscription}", Read,
            [Subscription("The id of the subscription (sub_…).")]),
        new("list_subscriptions", "subscriptions.read", "List subscriptions",
            "List subscriptions, optionally for one customer or price, or in one status. Without status, canceled subscriptions are left out; use status \"all\" to include them.",
            Get, "/v1/subscriptions", Read,
            [
                Id("customer", "cus_", "Only subscriptions of this customer (cus_…)."),
                Id("price", "price_", "Only subscriptions that include this recurring price (price_…)."),
                new StringParam("status", "Only subscriptions in this status; \"all\" includes canceled ones, \"ended\" only canceled and expired ones.", Enum: Statuses),
                .. Paging,
            ]),
        new("search_subscriptions", "subscriptions.read", "Search subscriptions",
            "Find subscriptions by status, customer, creation time or metadata.",
            Get, "/v1/subscriptions/search", Read,
            [.. Search("status, customer, created, metadata", "status:\"active\" AND metadata['plan']:'pro'")]),
        new("update_subscription", "subscriptions.update", "Update subscription",
            "Change a subscription: swap or add prices, change quantities, remove items, or schedule cancellation at the end of the period. Changing items prorates by default (proration_behavior). To change an existing item, give its subscription item id (si_…) from the subscription's items. Returns the whole subscription object.",
            Post, "/v1/subscriptions/{subscription}", Hints.None,
            [
                Subscription("The id of the subscription (sub_…)."),
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
            ])
        {
            Money = MoneyOf.SubscriptionChange,
        },
        new("pause_subscription", "subscriptions.update", "Pause subscription payments",
            "Pause collecting payment on a subscription: it stays active, but its invoices are voided, kept as drafts or marked uncollectible (pause_collection.behavior) until resumed or until resumes_at. Use resume_subscription to collect again. Returns the whole subscription.",
            Post, "/v1/subscriptions/{subscription}", Hints.None,
            [
                Subscription("The id of the subscription to pause (sub_…)."),
                new ObjectParam("pause_collection", "How to pause.",
                [
                    new StringParam("behavior", "What happens to invoices while paused: void (no charge, nothing owed), keep_as_draft (collect later), mark_uncollectible.", Required: true, Enum: ["void", "keep_as_draft", "mark_uncollectible"]),
                    new IntParam("resumes_at", "Resume automatically at this Unix timestamp (seconds).", Minimum: 0),
                ], Required: true),
            ]),
        new("resume_subscription", "subscriptions.update", "Resume subscription payments",
            "Resume collecting payment on a subscription paused with pause_subscription (clears pause_collection). Returns the whole subscription.",
            Post, "/v1/subscriptions/{subscription}", Hints.None,
            [Subscription("The id of the paused subscription (sub_…).")])
        {
            Money = MoneyOf.SubscriptionResume,
            Fixed = [new("pause_collection", "")],
        },
        new("cancel_subscription", "subscriptions.update", "Cancel subscription",
            "Cancel a subscription now: the customer is no longer billed and it cannot be reactivated. To stop at the end of the paid period instead, use update_subscription with cancel_at_period_end. Returns the whole subscription object with status \"canceled\".",
            Delete, "/v1/subscriptions/{subscription}", Hints.Destructive,
            [
                Subscription("The id of the subscription to cancel (sub_…)."),
                new BoolParam("invoice_now", "true invoices any pending usage and prorations now."),
                new BoolParam("prorate", "true credits the unused part of the period on a final invoice."),
                new ObjectParam("cancellation_details", "Why the customer cancelled.",
                [
                    new StringParam("comment", "The customer's own words.", MaxLength: 5000),
                    new StringParam("feedback", "The reason, one of Stripe's categories.", Enum: ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"]),
                ]),
            ])
        {
            Money = MoneyOf.SubscriptionCancel,
        },
    ];
}
