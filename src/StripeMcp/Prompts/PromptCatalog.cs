using StripeMcp.Tools.Catalog;

namespace StripeMcp.Prompts;

/// <summary>The prompts: workflows real Stripe integrations run, in our words. One row each; tests keep every tool they name real.</summary>
internal static class PromptCatalog
{
    private static readonly string[] Currencies = ["usd", "eur", "gbp", "cad", "aud", "jpy", "chf", "sek", "nok", "dkk", "pln", "inr", "brl", "mxn", "sgd", "hkd", "nzd"];

    private static readonly PromptArg Customer = new("customer", "The customer's id (cus_…)", IdPrefix: "cus_");

    public static IReadOnlyList<PromptDefinition> All { get; } =
    [
        new("take_one_time_payment", "Take a one-time payment",
            "Charge a customer once: choose between a Checkout Session, a Payment Link and a PaymentIntent, check the amount, and create it once.",
            [new("amount", "How much, in the currency's smallest unit (2550 = 25.50 usd)", Required: true, Amount: true),
             new("currency", "Lowercase ISO code", Choices: Currencies), new("description", "What it is for"), Customer],
            [["create_checkout_session", "create_payment_link", "create_payment_intent"]],
            p =>
            {
                var money = $"{p["amount"]} {p.Or("currency", "usd")}";
                p.Line($"Take a one-time payment of {money} (smallest unit){(p["description"] is { } d ? $" for \"{d}\"" : "")}{(p["customer"] is { } c ? $" from customer {c}" : "")}.")
                 .Line("")
                 .Line("Choose the way first:")
                 .Line("- The customer pays now, on a page Stripe hosts: a Checkout Session (create_checkout_session, mode payment). Send them its url.")
                 .Line("- Anyone may pay, more than once, from a link: a Payment Link (create_payment_link) for a price.")
                 .Line("- A saved payment method is charged without the customer present, or the integration collects the card itself: a PaymentIntent (create_payment_intent with customer, payment_method, confirm, off_session).")
                 .Line("")
                 .Step($"Say the amount back in words and check it with the human: {money} in the smallest unit (for usd, divide by 100). Zero-decimal currencies such as jpy are not divided.")
                 .Step("Read stripe-mcp://policy: the limits and how much is left, and whether the tool asks the human first.")
                 .Step($"If a customer is named, retrieve_customer {p.Or("customer", "")} and check it is the right person and has a default payment method for an off-session charge.", "retrieve_customer")
                 .Step($"Create it with a new idempotency_key (a UUID) and keep the key: {string.Join(", ", new[] { "create_checkout_session", "create_payment_link", "create_payment_intent" }.Where(p.Has))}.")
                 .Step("Report what happened: a Checkout Session's url and expires_at, a Payment Link's url, or a PaymentIntent's status (succeeded, requires_action when 3D Secure is needed, requires_payment_method when declined).")
                 .Errors("card_error is a decline (decline_code says why: insufficient_funds, lost_card, …): tell the human and ask for another payment method; never retry the same card in a loop. amount_too_small: the amount is under Stripe's minimum.");
                return p.ToString();
            }),

        new("start_subscription_with_trial", "Start a subscription with a trial",
            "Subscribe a customer to a recurring price with a free trial, after checking the price and the payment method.",
            [Customer with { Required = true }, new("price", "The recurring price's id (price_…)", Required: true, IdPrefix: "price_"),
             new("trial_days", "Days of trial (default 14)", Amount: true, Max: 730)],
            [["create_subscription"], ["retrieve_customer"]],
            p => p.Line($"Start a subscription for customer {p["customer"]} to price {p["price"]} with a {p.Or("trial_days", "14")}-day trial.").Line("")
                .Step($"retrieve_customer {p["customer"]}: the right customer? Is invoice_settings.default_payment_method set? Without one the first paid invoice after the trial cannot be charged.")
                .Step($"retrieve_price {p["price"]}: it must be active and recurring (recurring.interval); say the amount per interval in words.", "retrieve_price")
                .Step($"list_subscriptions for the customer: do not subscribe them twice to the same price.", "list_subscriptions")
                .Step($"create_subscription with customer, items[0][price]={p["price"]}, trial_period_days={p.Or("trial_days", "14")} and a new idempotency_key.")
                .Step("Check the answer: status trialing, trial_end (say the date), latest_invoice for 0. Stripe sends customer.subscription.trial_will_end three days before the trial ends, then bills.")
                .Errors("resource_missing names the id that does not exist (check the prefix and the account); a price that is not recurring is an invalid_request_error on items.")
                .ToString()),

        new("change_plan_mid_cycle", "Change a plan mid-cycle",
            "Move a subscription to another price: preview the proration, agree it with the human, then update once.",
            [new("subscription", "The subscription's id (sub_…)", Required: true, IdPrefix: "sub_"), new("new_price", "The new price's id (price_…)", Required: true, IdPrefix: "price_"),
             new("proration", "How to bill the change", Choices: ["create_prorations", "always_invoice", "none"])],
            [["retrieve_subscription"], ["update_subscription"]],
            p => p.Line($"Change subscription {p["subscription"]} to price {p["new_price"]}.").Line("")
                .Step($"retrieve_subscription {p["subscription"]}: note status (active or trialing), the item's id (items.data[0].id), its current price, and current_period_end.")
                .Step($"retrieve_price {p["new_price"]}: active, recurring, the same currency and interval as the current price.", "retrieve_price")
                .Step("Preview what the change bills before making it: find the invoice preview operation with stripe_api_search (\"preview invoice\") and call it with stripe_api_write, or work it out: credit for the unused part of this period at the old price, charge for the rest at the new one.", "stripe_api_search")
                .Step($"Tell the human the difference and when it is billed ({p.Or("proration", "create_prorations")}: create_prorations puts it on the next invoice, always_invoice bills it now, none bills nothing until renewal); change only with their yes.")
                .Step($"update_subscription with items[0][id]=<that item id>, items[0][price]={p["new_price"]}, proration_behavior={p.Or("proration", "create_prorations")} and a new idempotency_key. Passing the item id replaces the price; without it a second item is added.")
                .Step("Check the answer: the item's price is the new one; with always_invoice, latest_invoice is the proration invoice.")
                .Errors("A limit on subscriptions (limit_exceeded) counts what the new plan bills per period.")
                .ToString()),

        new("recover_failed_payment", "Recover a failed payment",
            "Dunning: find why an invoice's payment failed, get the payment method fixed, and collect it once.",
            [new("invoice", "The open invoice's id (in_…)", IdPrefix: "in_"), Customer],
            [["retrieve_invoice", "list_invoices"], ["pay_invoice"]],
            p => p.Line($"Recover the failed payment{(p["invoice"] is { } i ? $" of invoice {i}" : p["customer"] is { } c ? $" of customer {c}" : "")}.").Line("")
                .Step($"Find the invoice: {(p["invoice"] is { } inv ? $"retrieve_invoice {inv}" : "list_invoices with the customer and status open")}. It must be open; note amount_remaining, attempt_count and next_payment_attempt (Stripe's own retry).")
                .Step("Find why it failed: retrieve_payment_intent of the invoice's payment (last_payment_error: code and decline_code).", "retrieve_payment_intent")
                .Step("A soft decline (insufficient_funds, processing_error) may succeed later; a hard one (lost_card, stolen_card, expired_card, do_not_honor) will not: the customer must change the card.")
                .Step("Let the customer fix it: create_billing_portal_session for the customer and send them its url (they can add a card and make it the default).", "create_billing_portal_session")
                .Step("When the human says the card is fixed: pay_invoice with a new idempotency_key, once. Do not loop over retries; Stripe retries on its own schedule, and the subscription is canceled or marked unpaid after the last one.")
                .Step("Check: the invoice is paid, the subscription (if any) is active again.", "retrieve_subscription")
                .Errors("card_error on pay_invoice is another decline: stop and tell the human. invoice_not_open: it was paid, voided or marked uncollectible meanwhile.")
                .ToString()),

        new("refund_payment", "Refund a payment",
            "Refund all or part of a payment, after checking what was paid and what is already refunded.",
            [new("payment_intent", "The payment's id (pi_…)", Required: true, IdPrefix: "pi_"), new("amount", "Part to refund, smallest unit; leave out for all that is left", Amount: true),
             new("reason", "Why", Choices: ["duplicate", "fraudulent", "requested_by_customer"])],
            [["retrieve_payment_intent"], ["create_refund"]],
            p => p.Line($"Refund {(p["amount"] is { } a ? $"{a} (smallest unit) of" : "what is left of")} payment {p["payment_intent"]}{(p["reason"] is { } r ? $", reason {r}" : "")}.").Line("")
                .Step($"retrieve_payment_intent {p["payment_intent"]}: status must be succeeded; note amount_received, currency and latest_charge.")
                .Step("list_refunds with the payment_intent: add what is already refunded; a refund over what is left is refused.", "list_refunds")
                .Step("If the charge is disputed, do not refund: the dispute decides (see answer_dispute).", "list_disputes")
                .Step("Say the refund in words (amount and currency) and get the human's yes.")
                .Step($"create_refund with payment_intent={p["payment_intent"]}{(p["amount"] is { } am ? $", amount={am}" : "")}{(p["reason"] is { } re ? $", reason={re}" : "")} and a new idempotency_key.")
                .Step("Report the refund's status: pending then succeeded (the customer sees it in 5-10 business days), or failed.")
                .Errors("charge_already_refunded: nothing is left to refund. limit_exceeded: the operator's refund limit; stripe-mcp://policy says how much is left.")
                .ToString()),

        new("answer_dispute", "Answer a dispute",
            "Read a dispute, its reason and deadline, gather evidence, and submit it — or accept the loss.",
            [new("dispute", "The dispute's id (dp_…)", Required: true, IdPrefix: "dp_")],
            [["retrieve_dispute"], ["update_dispute"]],
            p => p.Line($"Answer dispute {p["dispute"]}.").Line("")
                .Step($"retrieve_dispute {p["dispute"]}: reason (fraudulent, product_not_received, duplicate, …), amount, status (needs_response, warning_needs_response for an inquiry) and evidence_details.due_by: say the deadline as a date; after it the dispute is lost.")
                .Step("retrieve_charge of its charge: what was bought, when, by whom (billing details, receipt).", "retrieve_charge")
                .Step("Gather evidence that answers the reason: receipts and customer communication for fraudulent; shipping carrier and tracking for product_not_received; refund policy and a refund already made for credit_not_processed.")
                .Step("update_dispute with evidence fields and submit=false to save a draft; show the human what will be sent.")
                .Step("On their yes: update_dispute with submit=true. Evidence can be submitted once.")
                .Step("If the evidence cannot win, close_dispute accepts it: the amount and the fee are lost.", "close_dispute")
                .Errors("A dispute already submitted or closed refuses updates (invalid_request_error).")
                .ToString()),

        new("onboard_connected_account", "Onboard a connected account and pay it",
            "Create a connected account, send its owner through onboarding, and move money to it once it can receive.",
            [new("email", "The account owner's email"), new("country", "Two-letter country code, e.g. US")],
            [["create_connected_account"], ["create_account_link"]],
            p => p.Line($"Onboard a connected account{(p["email"] is { } e ? $" for {e}" : "")}{(p["country"] is { } c ? $" in {c}" : "")}.").Line("")
                .Step("list_connected_accounts: is there one for this owner already? Do not create two.", "list_connected_accounts")
                .Step("create_connected_account with the email and country and a new idempotency_key; keep its id (acct_…).")
                .Step("create_account_link for that account, type account_onboarding, with refresh_url and return_url; send the owner its url (it expires in minutes: make a new one if it does).")
                .Step("retrieve_connected_account later: charges_enabled and payouts_enabled must be true; requirements.currently_due lists what is missing.", "retrieve_connected_account")
                .Step("Pay it: create_transfer with destination=<acct id>, the amount in the smallest unit and a new idempotency_key; the platform's balance must cover it (retrieve_balance).", "create_transfer")
                .Errors("balance_insufficient: the platform lacks available funds. An account this server's operator did not allow is refused before anything is sent (stripe-mcp://policy lists the accounts).")
                .ToString()),

        new("set_up_webhook_endpoint", "Set up and verify a webhook endpoint",
            "Point Stripe's events at a handler, with only the events it needs, and check that deliveries arrive.",
            [new("url", "The handler's https URL", Required: true), new("events", "Event types, comma-separated (e.g. invoice.paid,invoice.payment_failed)")],
            [["create_webhook_endpoint"]],
            p => p.Line($"Set up a webhook endpoint at {p["url"]}{(p["events"] is { } e ? $" for {e}" : "")}.").Line("")
                .Step("list_webhook_endpoints: is there one for this url already? Update it instead of adding a second (the handler would get every event twice).", "list_webhook_endpoints")
                .Step("Choose the events the handler really processes (payments: payment_intent.succeeded, payment_intent.payment_failed; billing: invoice.paid, invoice.payment_failed, customer.subscription.updated, customer.subscription.deleted; disputes: charge.dispute.created). \"*\" sends everything and is rarely right.")
                .Step($"create_webhook_endpoint with url={p["url"]} and enabled_events, and a new idempotency_key. The signing secret (whsec_…) is returned once and masked here: the operator copies it from Stripe's dashboard into the handler, unless the url is this server's own receiver, whose secret the server keeps.")
                .Step("The handler must verify Stripe-Signature, answer 2xx at once and process each event id once (stripe-mcp://guides/webhooks).")
                .Step("To test it offline: stripe-mcp sandbox trigger invoice.paid --url <the handler> --secret <its whsec_>. Events that reach this server are in list_received_events.", "list_received_events")
                .Errors("url_invalid: Stripe wants a public https URL. enabled_events with an unknown type names it in param.")
                .ToString()),

        new("investigate_charge", "Investigate why a customer was charged",
            "Explain every recent charge of a customer: which invoice, subscription, product or payment link it came from.",
            [Customer with { Required = true }, new("payment_intent", "One payment to explain (pi_…)", IdPrefix: "pi_")],
            [["retrieve_customer"], ["list_payment_intents", "list_charges"]],
            p => p.Line($"Find out why customer {p["customer"]} was charged{(p["payment_intent"] is { } pi ? $", starting with {pi}" : "")}. Read only: change nothing without the human.").Line("")
                .Step($"retrieve_customer {p["customer"]}: name, email, created, balance (credit), and the default payment method.")
                .Step($"{p.First("list_payment_intents", "list_charges")} with customer={p["customer"]}: every payment, newest first; note amount, currency, created, description, status, and the invoice each belongs to.")
                .Step($"list_invoices with the customer: each invoice's lines say which price and period it billed, and billing_reason says why (subscription_create, subscription_cycle, subscription_update for a proration, manual).", "list_invoices")
                .Step($"list_subscriptions with the customer and status all: which plans, since when, trials, cancellations.", "list_subscriptions")
                .Step("list_events with type charge.* or invoice.*: what happened, in order, and whether a change came from the dashboard or the API (request.id).", "list_events")
                .Step("Explain each charge in a sentence: amount in words, date, what it paid for. If one looks wrong (a duplicate, a charge after cancellation), say so and offer the refund_payment prompt; do not refund on your own.")
                .Errors("resource_missing on a customer often means another account: on a Connect platform, pass the connected account.")
                .ToString()),
    ];

    public static PromptDefinition? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
