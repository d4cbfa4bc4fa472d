using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class MeterEvents
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_meter_event", "meterEvents.create", "Create meter event",
            "Record usage for usage-based billing: one event for a billing meter (by its event_name), for a customer, with a value (e.g. 3 API calls). Give an identifier to make retries safe: an event with the same identifier is not counted twice.",
            Post, "/v1/billing/meter_events", Hints.None,
            [
                new StringParam("event_name", "The meter's event name, e.g. \"api_calls\".", Required: true, MaxLength: 100),
                new ObjectParam("payload", "Who used how much.",
                [
                    Id("stripe_customer_id", "cus_", "The customer (cus_…) the usage belongs to.", required: true),
                    new StringParam("value", "The usage quantity as a whole number in a string, e.g. \"3\".", Required: true, MaxLength: 20),
                ], Required: true),
                new StringParam("identifier", "Your unique id for this event; a second event with the same identifier is rejected, so retries never double-count.", MaxLength: 100),
                new IntParam("timestamp", "When the usage happened, Unix seconds (within the past 35 days). Defaults to now.", Minimum: 0),
            ])
        {
            Check = a => a.TryGetValue("payload", out var p) && p.TryGetProperty("value", out var v) && !long.TryParse(v.GetString(), out _)
                ? ["payload.value: must be a whole number in a string, e.g. \"3\""] : [],
        },
    ];
}
