using System.Globalization;
using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>
/// Subscription schedules: phases of items, each with its dates. A schedule that starts now creates its
/// subscription on the first phase's items; release lets the subscription go on alone, cancel ends both.
/// (Phases change as time passes; the sandbox's time moves with test clocks.)
/// </summary>
internal static partial class Billing
{
    private static void RegisterSubscriptionSchedules(Router r)
    {
        r.Post("/v1/subscription_schedules", CreateSchedule)
         .Get("/v1/subscription_schedules/{id}", c => c.Get("subscription_schedule", c.Id))
         .Post("/v1/subscription_schedules/{id}", c =>
         {
             var p = c.P;
             p.Allow("phases", "end_behavior", "metadata", "default_settings", "proration_behavior");
             var schedule = c.Get("subscription_schedule", c.Id);
             if (Status(schedule) is not ("not_started" or "active"))
                 throw StripeError.InvalidState($"Only schedules that have not started or are active can be updated; {c.Id} is {Status(schedule)}.");
             if (p.Enum("end_behavior", "release", "cancel") is { } eb) schedule["end_behavior"] = eb;
             if (p.Has("phases"))
             {
                 var start = schedule["phases"]![0]!["start_date"]!.Long();
                 var phases = Phases(c, p, start);
                 schedule["phases"] = phases;
                 if (Lists.Text(schedule["subscription"]) is { } subId) FollowPhase(c, c.Get("subscription", subId), phases[0]!.AsObject());
                 SetCurrentPhase(c, schedule);
             }
             if (p.Metadata() is { } md) Core.Merge(schedule, md);
             c.Emit("subscription_schedule.updated", schedule);
             return schedule;
         })
         .Post("/v1/subscription_schedules/{id}/release", c =>
         {
             c.P.Allow("preserve_cancel_date");
             var schedule = c.Get("subscription_schedule", c.Id);
             if (Status(schedule) is not ("not_started" or "active"))
                 throw StripeError.InvalidState($"You cannot release a subscription schedule that is currently in the `{Status(schedule)}` status. It must be in `not_started` or `active`.");
             if (Lists.Text(schedule["subscription"]) is { } subId) c.Get("subscription", subId)["schedule"] = null;
             schedule["status"] = "released";
             schedule["released_at"] = c.Now;
             schedule["released_subscription"] = schedule["subscription"]?.DeepClone();
             schedule["subscription"] = null;
             c.Emit("subscription_schedule.released", schedule);
             return schedule;
         })
         .Post("/v1/subscription_schedules/{id}/cancel", c =>
         {
             c.P.Allow("invoice_now", "prorate");
             var schedule = c.Get("subscription_schedule", c.Id);
             if (Status(schedule) is not ("not_started" or "active"))
                 throw StripeError.InvalidState($"You cannot cancel a subscription schedule that is currently in the `{Status(schedule)}` status. It must be in `not_started` or `active`.");
             if (Lists.Text(schedule["subscription"]) is { } subId && c.Get("subscription", subId) is { } sub && Status(sub) != "canceled") Cancel(c, sub);
             schedule["status"] = "canceled";
             schedule["canceled_at"] = c.Now;
             c.Emit("subscription_schedule.canceled", schedule);
             return schedule;
         })
         .Get("/v1/subscription_schedules", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "scheduled", "canceled_at", "completed_at", "released_at"]);
             var items = c.All("subscription_schedule").Where(c.P, "customer");
             if (c.P.Bool("scheduled") == true) items = items.Where(s => Status(s) == "not_started");
             return Lists.Page(c, items);
         });
    }

    private static JsonObject CreateSchedule(Call c)
    {
        var p = c.P;
        p.Allow("customer", "from_subscription", "start_date", "end_behavior", "phases", "metadata", "default_settings", "billing_mode", "customer_account");
        // Unknown parameters come before any lookup, as on Stripe: iterations was replaced by duration at this API version.
        foreach (var ph in p.Arr("phases"))
            if (ph.Has("iterations")) throw StripeError.ParamUnknown(ph.Name("iterations"));
        var id = c.State.NewId("sub_sched");
        JsonObject? sub = null;
        string customerId;
        JsonArray phases;
        if (p.Str("from_subscription") is { } fromId)
        {
            foreach (var k in new[] { "customer", "phases", "start_date" })
                if (p.Has(k)) throw StripeError.Invalid($"You cannot set `{k}` when creating a schedule from an existing subscription (from_subscription).", k);
            sub = c.Get("subscription", fromId, "from_subscription");
            if (Status(sub) == "canceled") throw StripeError.InvalidState($"The subscription {fromId} is canceled.", "from_subscription");
            if (sub["schedule"] is not null) throw StripeError.InvalidState($"The subscription {fromId} is already managed by the schedule {sub["schedule"]}.", "from_subscription");
            customerId = sub["customer"]!.GetValue<string>();
            var first = sub["items"]!["data"]![0]!;
            phases = new JsonArray(Phase(
                sub["items"]!["data"]!.AsArray().Select(i => (JsonNode)PhaseItem(i!["price"]!["id"]!.GetValue<string>(), i["quantity"]!.Long(), i["tax_rates"]!.AsArray())),
                first["current_period_start"]!.Long(), first["current_period_end"]!.Long(), sub["currency"]!.GetValue<string>()));
        }
        else
        {
            var customer = c.Get("customer", p.Req("customer"), "customer");
            c.OnClockOf(customer);
            customerId = customer["id"]!.GetValue<string>();
            var start = p.Str("start_date") == "now" ? c.Now : p.Int("start_date") ?? throw StripeError.ParamMissing("start_date");
            if (start < c.Now - 5 * 60) throw StripeError.Invalid("start_date must be now or in the future.", "start_date");
            phases = Phases(c, p, start);
        }
        var schedule = new JsonObject
        {
            ["id"] = id,
            ["object"] = "subscription_schedule",
            ["application"] = null,
            ["billing_mode"] = new JsonObject { ["type"] = "classic" },
            ["canceled_at"] = null,
            ["completed_at"] = null,
            ["created"] = c.Now,
            ["current_phase"] = null,
            ["customer"] = customerId,
            ["default_settings"] = new JsonObject
            {
                ["application_fee_percent"] = null, ["automatic_tax"] = new JsonObject { ["enabled"] = false, ["liability"] = null }, ["billing_cycle_anchor"] = "automatic",
                ["billing_thresholds"] = null, ["collection_method"] = "charge_automatically", ["default_payment_method"] = null, ["description"] = null,
                ["invoice_settings"] = new JsonObject { ["account_tax_ids"] = null, ["days_until_due"] = null, ["issuer"] = new JsonObject { ["type"] = "self" } },
                ["on_behalf_of"] = null, ["transfer_data"] = null,
            },
            ["end_behavior"] = p.Enum("end_behavior", "release", "cancel") ?? "release",
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["phases"] = phases,
            ["released_at"] = null,
            ["released_subscription"] = null,
            ["status"] = "not_started",
            ["subscription"] = sub?["id"]?.DeepClone(),
            ["test_clock"] = null,
        };
        var phase0 = phases[0]!.AsObject();
        if (sub is null && phase0["start_date"]!.Long() <= c.Now)
        {
            var form = new JsonObject
            {
                ["customer"] = customerId,
                ["items"] = new JsonArray(phase0["items"]!.AsArray().Select(i => (JsonNode)new JsonObject
                {
                    ["price"] = i!["price"]!.GetValue<string>(),
                    ["quantity"] = i["quantity"]!.Long().ToString(CultureInfo.InvariantCulture),
                    ["tax_rates"] = new JsonArray(i["tax_rates"]!.AsArray().Select(t => (JsonNode)t!["id"]!.GetValue<string>()).ToArray()),
                }).ToArray()),
            };
            if (Lists.Text(phase0["default_payment_method"]) is { } dpm) form["default_payment_method"] = dpm;
            if (phase0["trial_end"] is { } trialEnd) form["trial_end"] = trialEnd.Long().ToString(CultureInfo.InvariantCulture);
            sub = CreateSubscription(c.Inner("POST", "/v1/subscriptions", form));
            schedule["subscription"] = sub["id"]!.DeepClone();
        }
        if (sub is not null)
        {
            sub["schedule"] = id;
            schedule["status"] = "active";
        }
        SetCurrentPhase(c, schedule);
        return c.Create("subscription_schedule", schedule);
    }

    /// <summary>The phases given, each starting where the one before it ends; the last lasts one billing period unless told.</summary>
    private static JsonArray Phases(Call c, P p, long start)
    {
        var list = p.Arr("phases").ToList();
        if (list.Count == 0) throw StripeError.ParamMissing("phases");
        var phases = new JsonArray();
        string? currency = null;
        foreach (var (ph, index) in list.Select((ph, i) => (ph, i)))
        {
            ph.Allow("items", "end_date", "duration", "trial_end", "trial", "metadata", "description", "default_payment_method", "collection_method",
                "proration_behavior", "currency", "default_tax_rates", "add_invoice_items", "billing_cycle_anchor", "invoice_settings", "start_date", "discounts", "automatic_tax");
            var items = ph.Arr("items").ToList();
            if (items.Count == 0) throw StripeError.ParamMissing(ph.Name("items"));
            var phaseItems = new JsonArray();
            JsonObject? firstPrice = null;
            foreach (var it in items)
            {
                it.Allow("price", "quantity", "tax_rates", "metadata", "discounts", "price_data", "billing_thresholds", "plan");
                var price = RecurringPrice(c, it);
                firstPrice ??= price;
                if (currency is not null && Lists.Text(price["currency"]) != currency)
                    throw StripeError.Invalid("All prices of a schedule's phases must have the same currency.", it.Name("price"));
                currency = Lists.Text(price["currency"]);
                phaseItems.Add(PhaseItem(price["id"]!.GetValue<string>(), it.Int("quantity") ?? 1, TaxRates(c, it, "tax_rates")));
            }
            var recurring = firstPrice!["recurring"]!;
            long end;
            if (ph.Int("end_date") is { } endDate) end = endDate;
            else if (ph.Obj("duration") is { } duration)
            {
                duration.Allow("interval", "interval_count");
                var interval = duration.Enum("interval", "day", "week", "month", "year") ?? throw StripeError.ParamMissing(duration.Name("interval"));
                end = PeriodEnd(start, interval, duration.Int("interval_count") ?? 1);
            }
            else if (index == list.Count - 1) end = PeriodEnd(start, recurring["interval"]!.GetValue<string>(), recurring["interval_count"]!.Long());
            else throw StripeError.Invalid($"Every phase but the last needs end_date or duration; {ph.Name("end_date")} is missing.", ph.Name("end_date"), "parameter_missing");
            if (end <= start) throw StripeError.Invalid($"{ph.Name("end_date")} must be after the phase's start ({start}).", ph.Name("end_date"));
            var phase = Phase(phaseItems, start, end, currency!);
            phase["description"] = ph.Str("description");
            phase["metadata"] = ph.Metadata() ?? new JsonObject();
            phase["trial_end"] = ph.Int("trial_end");
            phase["collection_method"] = ph.Enum("collection_method", "charge_automatically", "send_invoice");
            phase["proration_behavior"] = ph.Enum("proration_behavior", "create_prorations", "none", "always_invoice") ?? "create_prorations";
            if (ph.Str("default_payment_method") is { } dpm) phase["default_payment_method"] = c.Get("payment_method", dpm, ph.Name("default_payment_method"))["id"]!.DeepClone();
            phases.Add(phase);
            start = end;
        }
        return phases;
    }

    private static JsonObject PhaseItem(string price, long quantity, JsonArray taxRates) => new()
    {
        ["billing_thresholds"] = null, ["discounts"] = new JsonArray(), ["metadata"] = new JsonObject(), ["plan"] = price, ["price"] = price,
        ["quantity"] = quantity, ["tax_rates"] = taxRates.DeepClone(),
    };

    private static JsonObject Phase(IEnumerable<JsonNode?> items, long start, long end, string currency) => new()
    {
        ["add_invoice_items"] = new JsonArray(),
        ["application_fee_percent"] = null,
        ["billing_cycle_anchor"] = null,
        ["billing_thresholds"] = null,
        ["collection_method"] = null,
        ["currency"] = currency,
        ["default_payment_method"] = null,
        ["default_tax_rates"] = new JsonArray(),
        ["description"] = null,
        ["discounts"] = new JsonArray(),
        ["end_date"] = end,
        ["invoice_settings"] = null,
        ["items"] = new JsonArray(items.Select(i => i!.DeepClone()).ToArray()),
        ["metadata"] = new JsonObject(),
        ["on_behalf_of"] = null,
        ["proration_behavior"] = "create_prorations",
        ["start_date"] = start,
        ["transfer_data"] = null,
        ["trial_end"] = null,
    };

    private static void SetCurrentPhase(Call c, JsonObject schedule)
    {
        var current = Status(schedule) == "active"
            ? schedule["phases"]!.AsArray().FirstOrDefault(ph => ph!["start_date"]!.Long() <= c.Now && c.Now < ph["end_date"]!.Long()) ?? schedule["phases"]![0]
            : null;
        schedule["current_phase"] = current is null ? null : new JsonObject { ["end_date"] = current["end_date"]!.DeepClone(), ["start_date"] = current["start_date"]!.DeepClone() };
    }

    /// <summary>The subscription takes the current phase's prices and quantities.</summary>
    private static void FollowPhase(Call c, JsonObject sub, JsonObject phase)
    {
        var items = sub["items"]!["data"]!.AsArray();
        var first = items[0]!.AsObject();
        var (start, end) = (first["current_period_start"]!.Long(), first["current_period_end"]!.Long());
        items.Clear();
        foreach (var pi in phase["items"]!.AsArray())
        {
            var item = SubscriptionItem(c, sub["id"]!.GetValue<string>(), c.Get("price", pi!["price"]!.GetValue<string>()), pi["quantity"]!.Long(), start, end);
            item["tax_rates"] = pi["tax_rates"]!.DeepClone();
            items.Add(item);
        }
        c.Emit("customer.subscription.updated", sub);
    }
}
