using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Events
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_events", "events.read", "List events",
            "List what happened in the account in the last 30 days: each event has a type (e.g. payment_intent.succeeded, customer.subscription.deleted) and the object as it was then. Answers what changed.",
            Get, "/v1/events", Read,
            [
                new StringParam("type", "A trailing * matches a family, e.g. invoice.*", MaxLength: 100),
                .. Paging,
            ]),
        new("retrieve_event", "events.read", "Retrieve event",
            "Retrieve one event: the object as it was in data.object and, for updates, data.previous_attributes.",
            Get, "/v1/events/{event}", Read,
            [Id("event", "evt_", required: true)]),
    ];
}
