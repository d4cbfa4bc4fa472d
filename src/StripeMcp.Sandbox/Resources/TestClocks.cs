using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>
/// Test clocks: customers made with <c>test_clock</c> live on the clock's time, and advancing it runs, in order,
/// what would happen to their subscriptions in that time — trials ending (customer.subscription.trial_will_end
/// three days before), renewals billed and charged, declined renewals retried and, after the last retry,
/// the subscription canceled, cancel_at and cancel_at_period_end taking effect, paused collection resuming.
/// The sandbox finalizes and charges a renewal invoice at once (Stripe waits about an hour).
/// </summary>
internal static partial class Billing
{
    /// <summary>After a declined renewal, the next attempts: 3, 5 and 7 days after the one before; then the subscription is canceled.</summary>
    public static readonly long[] RetryDays = [3, 5, 7];

    private const string Clock = "test_helpers.test_clock";

    private static void RegisterTestClocks(Router r)
    {
        r.Post("/v1/test_helpers/test_clocks", c =>
         {
             var p = c.P;
             p.Allow("frozen_time", "name", "customer");
             var frozen = p.Int("frozen_time") ?? throw StripeError.ParamMissing("frozen_time");
             if (frozen < 0) throw StripeError.Invalid("frozen_time must be a Unix timestamp.", "frozen_time");
             var clock = new JsonObject
             {
                 ["id"] = c.State.NewId("clock"),
                 ["object"] = Clock,
                 ["created"] = c.Now,
                 ["deletes_after"] = c.Now + 30 * 86400,
                 ["frozen_time"] = frozen,
                 ["livemode"] = false,
                 ["name"] = p.Str("name"),
                 ["status"] = "ready",
             };
             return c.Create(Clock, clock);
         })
         .Get("/v1/test_helpers/test_clocks/{id}", c => c.Get(Clock, c.Id, "test_clock"))
         .Delete("/v1/test_helpers/test_clocks/{id}", c =>
         {
             var clock = c.Get(Clock, c.Id, "test_clock");
             // Deleting a clock deletes the objects on it, as on Stripe.
             foreach (var customer in c.All("customer").Where(o => Lists.Text(o["test_clock"]) == c.Id).ToList())
             {
                 foreach (var sub in c.All("subscription").Where(s => Lists.Text(s["customer"]) == Lists.Text(customer["id"])).ToList())
                     c.State.Remove(c.Account, "subscription", sub["id"]!.GetValue<string>());
                 c.State.Remove(c.Account, "customer", customer["id"]!.GetValue<string>());
             }
             c.State.Remove(c.Account, Clock, c.Id);
             c.Emit("test_helpers.test_clock.deleted", clock);
             return new JsonObject { ["id"] = c.Id, ["object"] = Clock, ["deleted"] = true };
         })
         .Post("/v1/test_helpers/test_clocks/{id}/advance", c =>
         {
             c.P.Allow("frozen_time");
             var clock = c.Get(Clock, c.Id, "test_clock");
             var target = c.P.Int("frozen_time") ?? throw StripeError.ParamMissing("frozen_time");
             var from = clock["frozen_time"]!.Long();
             if (target <= from)
                 throw StripeError.Invalid($"The test clock can only move forward: frozen_time must be after its current time ({from}).", "frozen_time");
             var answer = (JsonObject)clock.DeepClone();
             answer["status"] = "advancing"; // as Stripe answers; the clock is ready when this returns (retrieve it)
             c.Emit("test_helpers.test_clock.advancing", answer);
             Advance(c, clock, target);
             clock["frozen_time"] = target;
             clock["status"] = "ready";
             c.At(target);
             c.Emit("test_helpers.test_clock.ready", clock);
             return answer;
         })
         .Get("/v1/test_helpers/test_clocks", c =>
         {
             c.P.Allow(Lists.PagingParams);
             return Lists.Page(c, c.All(Clock));
         });
    }

    /// <summary>The next thing due for a subscription on a clock, at or before <paramref name="until"/>, and what it is.</summary>
    private static (long At, string What)? NextDue(Call c, JsonObject sub, long until)
    {
        if (Status(sub) is "canceled" or "incomplete_expired" or "incomplete") return null;
        var candidates = new List<(long At, string What)>();
        var end = sub["items"]!["data"]![0]!["current_period_end"]!.Long();
        if (Status(sub) == "trialing" && sub["trial_end"] is { } te)
        {
            var warn = te.Long() - 3 * 86400;
            if (!c.State.TrialWarned.Contains(sub["id"]!.GetValue<string>()) && warn > sub["start_date"]!.Long()) candidates.Add((warn, "trial_will_end"));
        }
        if (sub["cancel_at"] is { } cancelAt && cancelAt.Long() <= end) candidates.Add((cancelAt.Long(), "cancel"));
        else candidates.Add((end, "renew"));
        if (sub["pause_collection"]?["resumes_at"] is { } resumes && resumes.GetValueKind() == System.Text.Json.JsonValueKind.Number) candidates.Add((resumes.Long(), "resume"));
        if (c.State.Retries.TryGetValue(sub["id"]!.GetValue<string>(), out var retry)) candidates.Add((retry.At, "retry"));
        if (Schedule(c, sub) is { } schedule && schedule["current_phase"]?["end_date"] is { } phaseEnd) candidates.Add((phaseEnd.Long(), "phase"));
        // At one moment: the warning first, then a schedule's next phase (a renewal then bills the new phase's prices).
        var next = candidates.Where(x => x.At <= until).OrderBy(x => x.At).ThenBy(x => x.What switch { "trial_will_end" => 0, "phase" => 1, _ => 2 }).FirstOrDefault();
        return next == default ? null : next;
    }

    private static void Advance(Call c, JsonObject clock, long target)
    {
        var clockId = clock["id"]!.GetValue<string>();
        for (var guard = 0; guard < 10_000; guard++)
        {
            var due = c.All("subscription")
                .Where(s => Lists.Text(s["test_clock"]) == clockId)
                .Select(s => (Sub: s, Next: NextDue(c, s, target)))
                .Where(x => x.Next is not null)
                .OrderBy(x => x.Next!.Value.At)
                .FirstOrDefault();
            if (due.Sub is null) return;
            var (at, what) = due.Next!.Value;
            c.At(at);
            clock["frozen_time"] = at;
            var sub = due.Sub;
            var subId = sub["id"]!.GetValue<string>();
            switch (what)
            {
                case "trial_will_end":
                    c.State.TrialWarned.Add(subId);
                    c.Emit("customer.subscription.trial_will_end", sub);
                    break;
                case "cancel":
                    c.State.Retries.Remove(subId);
                    Cancel(c, sub);
                    break;
                case "resume":
                    sub["pause_collection"] = null;
                    c.Emit("customer.subscription.updated", sub);
                    break;
                case "retry":
                    Retry(c, sub);
                    break;
                case "phase":
                    NextPhase(c, sub, Schedule(c, sub)!, at);
                    break;
                default:
                    Renew(c, sub, at);
                    break;
            }
        }
        throw new InvalidOperationException($"advancing {clockId} did not settle"); // a sandbox bug, answered as a 500
    }

    /// <summary>A new period: at period end (or when a trial ends), unless the subscription ends there.</summary>
    private static void Renew(Call c, JsonObject sub, long at)
    {
        var subId = sub["id"]!.GetValue<string>();
        if (sub["cancel_at_period_end"]?.GetValue<bool>() == true)
        {
            Cancel(c, sub);
            return;
        }
        var items = sub["items"]!["data"]!.AsArray();
        var price = items[0]!["price"]!;
        var end = PeriodEnd(at, price["recurring"]!["interval"]!.GetValue<string>(), price["recurring"]!["interval_count"]!.Long());
        foreach (var item in items)
        {
            item!["current_period_start"] = at;
            item["current_period_end"] = end;
        }
        var wasTrial = Status(sub) == "trialing";
        if (wasTrial) sub["status"] = "active";
        var customer = c.Get("customer", sub["customer"]!.GetValue<string>());
        if (sub["pause_collection"] is JsonObject pause)
        {
            // Collection paused: the invoice is kept as a draft, marked uncollectible, or not made (void), as the pause says.
            c.Emit("customer.subscription.updated", sub);
            if (Lists.Text(pause["behavior"]) == "void") return;
        }
        var invoice = NewInvoice(c, customer, sub["collection_method"]!.GetValue<string>(), sub["currency"]!.GetValue<string>(), "subscription_cycle", subId);
        invoice["lines"] = Lists.Embedded(items.Select(i => (JsonNode)SubscriptionLine(invoice, i!.AsObject(), false)), $"/v1/invoices/{invoice["id"]}/lines");
        invoice["default_tax_rates"] = sub["default_tax_rates"]!.DeepClone();
        invoice["period_start"] = items[0]!["current_period_start"]!.DeepClone();
        invoice["period_end"] = end;
        if (sub["days_until_due"] is { } days && days.GetValueKind() == System.Text.Json.JsonValueKind.Number) invoice["due_date"] = at + days.Long() * 86400;
        c.State.Add(c.Account, "invoice", invoice);
        // Pending invoice items (a plan change's prorations among them) go on the next invoice.
        foreach (var pending in c.All("invoiceitem").Where(i => i["invoice"] is null && Lists.Text(i["customer"]) == Lists.Text(sub["customer"])
                     && (Lists.Text(i["parent"]?["subscription_details"]?["subscription"]) ?? subId) == subId))
            pending["invoice"] = invoice["id"]!.DeepClone();
        c.Emit("invoice.created", invoice);
        Recompute(c, invoice);
        sub["latest_invoice"] = invoice["id"]!.GetValue<string>();
        c.Emit("customer.subscription.updated", sub);
        if (sub["pause_collection"] is JsonObject { } paused)
        {
            if (Lists.Text(paused["behavior"]) == "mark_uncollectible")
            {
                Finalize(c, invoice);
                invoice["status"] = "uncollectible";
                c.Emit("invoice.marked_uncollectible", invoice);
            }
            return; // keep_as_draft: stays a draft
        }
        Finalize(c, invoice);
        if (Status(invoice) == "paid" || Lists.Text(invoice["collection_method"]) == "send_invoice") return;
        Charge(c, sub, invoice, 0);
    }

    /// <summary>Charges a subscription's open invoice; a decline makes it past_due and schedules the next attempt.</summary>
    private static void Charge(Call c, JsonObject sub, JsonObject invoice, int failures)
    {
        var subId = sub["id"]!.GetValue<string>();
        var pm = Lists.Text(sub["default_payment_method"]) ?? Payments.DefaultPaymentMethod(c, sub["customer"]!.GetValue<string>());
        try
        {
            if (pm is null) throw new StripeError(402, "card_error", "The customer has no payment method to charge.", "invoice_no_payment_method");
            Pay(c, invoice, pm, false);
            c.State.Retries.Remove(subId);
            if (Status(sub) is "past_due" or "unpaid")
            {
                sub["status"] = "active";
                c.Emit("customer.subscription.updated", sub);
            }
        }
        catch (StripeError e) when (e.Status == 402)
        {
            if (pm is null) c.Emit("invoice.payment_failed", invoice);
            if (failures < RetryDays.Length)
            {
                var next = c.Now + RetryDays[failures] * 86400;
                invoice["next_payment_attempt"] = next;
                c.State.Retries[subId] = (next, invoice["id"]!.GetValue<string>(), failures + 1);
                if (Status(sub) != "past_due")
                {
                    sub["status"] = "past_due";
                    c.Emit("customer.subscription.updated", sub);
                }
            }
            else
            {
                // Every retry failed: the subscription is canceled; the invoice stays open.
                c.State.Retries.Remove(subId);
                invoice["next_payment_attempt"] = null;
                Cancel(c, sub, "payment_failed");
            }
        }
    }

    private static void Retry(Call c, JsonObject sub)
    {
        var (_, invoiceId, failures) = c.State.Retries[sub["id"]!.GetValue<string>()];
        var invoice = c.Get("invoice", invoiceId);
        if (Status(invoice) != "open")
        {
            c.State.Retries.Remove(sub["id"]!.GetValue<string>());
            return;
        }
        Charge(c, sub, invoice, failures);
    }

    /// <summary>The active schedule that manages a subscription, if one does.</summary>
    private static JsonObject? Schedule(Call c, JsonObject sub) =>
        Lists.Text(sub["schedule"]) is { } id && c.Find("subscription_schedule", id) is { } s && Status(s) == "active" ? s : null;

    /// <summary>A phase ends: the subscription takes the next one's items; after the last, the schedule's end_behavior applies.</summary>
    private static void NextPhase(Call c, JsonObject sub, JsonObject schedule, long at)
    {
        var phases = schedule["phases"]!.AsArray();
        var next = phases.FirstOrDefault(ph => ph!["start_date"]!.Long() == at)?.AsObject();
        if (next is not null)
        {
            FollowPhase(c, sub, next);
            SetCurrentPhase(c, schedule);
            c.Emit("subscription_schedule.updated", schedule);
            return;
        }
        schedule["current_phase"] = null;
        if (Lists.Text(schedule["end_behavior"]) == "cancel")
        {
            Cancel(c, sub);
            schedule["status"] = "completed";
            schedule["completed_at"] = at;
            c.Emit("subscription_schedule.completed", schedule);
        }
        else
        {
            sub["schedule"] = null;
            schedule["status"] = "released";
            schedule["released_at"] = at;
            schedule["released_subscription"] = sub["id"]!.DeepClone();
            schedule["subscription"] = null;
            c.Emit("subscription_schedule.released", schedule);
        }
    }
}
