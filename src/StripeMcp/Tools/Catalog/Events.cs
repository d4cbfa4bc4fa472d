using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Events
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("list_events", "events.read", "List events",
            "List what happened in the account (the last 30 days): each event has a type such as payment_intent.succeeded or customer.subscription.deleted and a snapshot of the object at that moment. Use it to answer \"what changed\" questions.",
            Get, "/v1/events", Read,
            [
                new StringParam("type", "Only events of this type; a trailing * matches a family, e.g. \"invoice.*\".", MaxLength: 100),
                .. Paging,
            ]),
        new("retrieve_event", "events.read", "Retrieve event",
            "Retrieve one event by id, with the object snapshot in data.object and, for updates, data.previous_attributes.",
            Get, "/v1/events/{event}", Read,
            [Id("event", "evt_", "The id of the event (evt_…).", required: true)]),
    ];
}
