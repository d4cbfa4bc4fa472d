using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Subscriptions
{
    private static readonly string[] Statuses =
        ["active", "past_due", "unpaid", "canceled", "incomplete", "incomplete_expired", "trialing", "paused", "all", "ended"];

    private static IdParam Subscription => Id("subscription", "sub_", required: true);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_subscription", "subscriptions.create", "Create subscription",
            "Subscribe a customer to one or more recurring prices. The first invoice (latest_invoice) is charged at once to default_payment_method or the customer's default: status active, or incomplete if that fails or there is none. trial_period_days starts a free trial (status trialing).",
            Post, "/v1/subscriptions", Hints.Write,
            [
                Id("customer", "cus_", required: true),
                new ArrayParam("items", "Recurring prices.",
                    new ObjectParam("item", "A price and its quantity.",
                    [
                        Id("price", "price_", required: true),
                        new IntParam("quantity", "Units, e.g. seats (default 1).", Minimum: 1, Maximum: 999_999),
                    ]), Required: true, MinItems: 1, MaxItems: 20),
                Id("default_payment_method", "pm_", "Attached to the customer."),
                new IntParam("trial_period_days", "Free days before the first charge.", Minimum: 1, Maximum: 730),
                new StringParam("payment_behavior", "If the first payment fails: allow_incomplete (default) gives status incomplete; default_incomplete always starts incomplete, for a front end to confirm; error_if_incomplete fails the call.", Enum: ["allow_incomplete", "default_incomplete", "error_if_incomplete", "pending_if_incomplete"]),
                new StringParam("collection_method", "send_invoice emails invoices (give days_until_due).", Enum: ["charge_automatically", "send_invoice"]),
                new IntParam("days_until_due", "With send_invoice: days to pay each invoice.", Minimum: 0, Maximum: 1825),
                new BoolParam("cancel_at_period_end", "true ends it after the first period."),
                Description("Seen by you and in the customer portal."),
                Metadata,
            ])
        {
            Check = a => a.Has("collection_method") && a["collection_method"].GetString() == "send_invoice" && !a.Has("days_until_due")
                ? ["days_until_due: is required when collection_method is \"send_invoice\""] : [],
        },
        new("retrieve_subscription", "subscriptions.read", "Retrieve subscription",
            "Retrieve one subscription: status (trialing, active, incomplete, past_due, unpaid, canceled, paused), items with prices and periods, pause_collection, cancel_at_period_end, latest_invoice.",
            Get, "/v1/subscriptions/{subscription}", Read,
            [Subscription]),
        new("list_subscriptions", "subscriptions.read", "List subscriptions",
            "List subscriptions, optionally by customer, price or status; without status, canceled ones are left out.",
            Get, "/v1/subscriptions", Read,
            [
                Id("customer", "cus_"),
                Id("price", "price_", "Only those with this recurring price."),
                new StringParam("status", "all includes canceled; ended: only canceled and expired.", Enum: Statuses),
                .. Paging,
            ]),
        new("search_subscriptions", "subscriptions.read", "Search subscriptions",
            "Find subscriptions by status, customer, creation time or metadata.",
            Get, "/v1/subscriptions/search", Read,
            [.. Search("status, customer, created, metadata", "status:\"active\" AND metadata['plan']:'pro'")]),
        new("update_subscription", "subscriptions.update", "Update subscription",
            "Change a subscription: swap or add prices, change quantities, remove items, or cancel at the end of the period. Item changes prorate by default (proration_behavior). An existing item is named by its id from the subscription's items.",
            Post, "/v1/subscriptions/{subscription}", Hints.Write,
            [
                Subscription,
                new ArrayParam("items", "Items to change, add or remove.",
                    new ObjectParam("item", "id changes or removes an item; price alone adds one.",
                    [
                        Id("id", "si_", "The item to change or remove."),
                        Id("price", "price_", "Recurring price to switch to, or to add."),
                        new IntParam("quantity", "New quantity.", Minimum: 0, Maximum: 999_999),
                        new BoolParam("deleted", "true removes the item."),
                    ]), MaxItems: 20),
                new StringParam("proration_behavior", "create_prorations (default): on the next invoice; always_invoice: invoice the difference now.", Enum: ["create_prorations", "none", "always_invoice"]),
                new BoolParam("cancel_at_period_end", "true cancels at the period's end; false undoes that."),
                Id("default_payment_method", "pm_"),
                Description("Seen by you and in the customer portal."),
                Metadata,
            ]),
        new("pause_subscription", "subscriptions.update", "Pause subscription payments",
            "Pause collecting payment on a subscription: it stays active, but its invoices are voided, kept as drafts or marked uncollectible (pause_collection.behavior) until resume_subscription or resumes_at.",
            Post, "/v1/subscriptions/{subscription}", Hints.Write,
            [
                Subscription,
                new ObjectParam("pause_collection", "How to pause.",
                [
                    new StringParam("behavior", "Invoices while paused: void (nothing owed), keep_as_draft (collect later), mark_uncollectible.", Required: true, Enum: ["void", "keep_as_draft", "mark_uncollectible"]),
                    new IntParam("resumes_at", "Resume then (Unix seconds).", Minimum: 0),
                ], Required: true),
            ]),
        new("resume_subscription", "subscriptions.update", "Resume subscription payments",
            "Resume collecting payment on a subscription paused with pause_subscription.",
            Post, "/v1/subscriptions/{subscription}", Hints.Write,
            [Subscription])
        {
            Fixed = [new("pause_collection", "")],
        },
        new("cancel_subscription", "subscriptions.update", "Cancel subscription",
            "Cancel a subscription now (status canceled): no more billing, and it cannot be reactivated. To stop at the end of the paid period, use update_subscription with cancel_at_period_end.",
            Delete, "/v1/subscriptions/{subscription}", Hints.Destructive,
            [
                Subscription,
                new BoolParam("invoice_now", "true invoices pending usage and prorations now."),
                new BoolParam("prorate", "true credits the unused part on a final invoice."),
                new ObjectParam("cancellation_details", "Why the customer cancelled.",
                [
                    new StringParam("comment", "Their own words.", MaxLength: 5000),
                    new StringParam("feedback", "", Enum: ["customer_service", "low_quality", "missing_features", "other", "switched_service", "too_complex", "too_expensive", "unused"]),
                ]),
            ]),
    ];
}
