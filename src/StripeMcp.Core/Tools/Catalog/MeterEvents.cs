using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class MeterEvents
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_meter_event", "meterEvents.create", "Create meter event",
            "Record usage for usage-based billing: one event of a billing meter (its event_name) for a customer, with a value (e.g. 3 API calls). An identifier makes retries safe: one already seen is not counted again.",
            Post, "/v1/billing/meter_events", Hints.Write,
            [
                new StringParam("event_name", "The meter's, e.g. api_calls.", Required: true, MaxLength: 100),
                new ObjectParam("payload", "Who used how much.",
                [
                    Id("stripe_customer_id", "cus_", required: true),
                    new StringParam("value", "A whole number in a string, e.g. 3.", Required: true, MaxLength: 20),
                ], Required: true),
                new StringParam("identifier", "Your unique id for it; a repeat is rejected.", MaxLength: 100),
                new IntParam("timestamp", "Unix seconds, within the past 35 days (default now).", Minimum: 0),
            ])
        {
            Check = a => a.TryGetValue("payload", out var p) && p.TryGetProperty("value", out var v) && !long.TryParse(v.GetString(), out _)
                ? ["payload.value: must be a whole number in a string, e.g. \"3\""] : [],
        },
    ];
}
