using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Billing meter events: usage reported for a customer.</summary>
internal static partial class Billing
{
    private static void RegisterMeterEvents(Router r)
    {
        r.Post("/v1/billing/meter_events", c =>
        {
            var p = c.P;
            p.Allow("event_name", "payload", "identifier", "timestamp");
            var name = p.Req("event_name");
            var payload = p.Obj("payload") ?? throw StripeError.ParamMissing("payload");
            var customer = payload.Req("stripe_customer_id");
            c.Get("customer", customer, "payload[stripe_customer_id]");
            var value = payload.Str("value") ?? throw StripeError.ParamMissing("payload[value]");
            if (!decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
                throw StripeError.Invalid($"Invalid payload[value]: {value} is not a number.", "payload[value]");
            var identifier = p.Str("identifier") ?? c.State.NewId("mev");
            if (c.Find("billing.meter_event", identifier) is not null)
                throw StripeError.Invalid($"An event already exists with identifier {identifier}.", "identifier");
            var timestamp = p.Int("timestamp") ?? c.Now;
            if (timestamp < c.Now - 35 * 86400 || timestamp > c.Now + 300)
                throw StripeError.Invalid("The timestamp must be within the past 35 calendar days and no more than 5 minutes in the future.", "timestamp");
            var ev = new JsonObject
            {
                ["id"] = identifier,
                ["object"] = "billing.meter_event",
                ["created"] = c.Now,
                ["event_name"] = name,
                ["identifier"] = identifier,
                ["livemode"] = false,
                ["payload"] = payload.Node.DeepClone(),
                ["timestamp"] = timestamp,
            };
            c.State.Add(c.Account, "billing.meter_event", ev);
            var result = (JsonObject)ev.DeepClone();
            result.Remove("id");
            return result;
        });
    }
}
