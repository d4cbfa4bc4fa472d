using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment intents: create, confirm (with Stripe's test cards), capture, cancel, update, list, search.</summary>
internal static partial class Payments
{
    private static void RegisterPaymentIntents(Router r)
    {
        r.Post("/v1/payment_intents", CreatePaymentIntent)
         .Get("/v1/payment_intents/search", c => Lists.Search(c, c.All("payment_intent"), PaymentIntentSearch))
         .Get("/v1/payment_intents/{id}", c => c.Get("payment_intent", c.Id))
         .Post("/v1/payment_intents/{id}", UpdatePaymentIntent)
         .Post("/v1/payment_intents/{id}/confirm", c =>
         {
             c.P.Allow("payment_method", "return_url", "off_session", "receipt_email", "setup_future_usage", "capture_method", "mandate_data", "error_on_requires_action");
             var pi = c.Get("payment_intent", c.Id);
             if (pi["status"]!.GetValue<string>() is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
                 throw StripeError.InvalidState($"This PaymentIntent's status is {pi["status"]}, so it cannot be confirmed. Only a PaymentIntent that requires payment method, confirmation or action can be confirmed.", "payment_intent");
             if (c.P.Enum("capture_method", "automatic", "automatic_async", "manual") is { } cm) pi["capture_method"] = cm;
             if (c.P.Str("receipt_email") is { } email) pi["receipt_email"] = email;
             return Confirm(c, pi, c.P.Str("payment_method"));
         })
         .Post("/v1/payment_intents/{id}/capture", Capture)
         .Post("/v1/payment_intents/{id}/cancel", c =>
         {
             c.P.Allow("cancellation_reason");
             var pi = c.Get("payment_intent", c.Id);
             var status = pi["status"]!.GetValue<string>();
             if (status is "succeeded" or "canceled")
                 throw StripeError.InvalidState($"You cannot cancel this PaymentIntent because it has a status of {status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.", "payment_intent");
             pi["status"] = "canceled";
             pi["canceled_at"] = c.Now;
             pi["cancellation_reason"] = c.P.Enum("cancellation_reason", "duplicate", "fraudulent", "requested_by_customer", "abandoned") ?? "requested_by_customer";
             pi["amount_capturable"] = 0;
             pi["next_action"] = null;
             if (Lists.Text(pi["latest_charge"]) is { } chId && c.Find("charge", chId) is { } ch && ch["captured"]?.GetValue<bool>() == false && Lists.Text(ch["status"]) == "succeeded")
             {
                 // An uncaptured authorization is released: the charge is refunded in full.
                 ch["amount_refunded"] = ch["amount"]!.Long();
                 ch["refunded"] = true;
             }
             c.Emit("payment_intent.canceled", pi);
             return pi;
         })
         .Get("/v1/payment_intents", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer"]);
             return Lists.Page(c, c.All("payment_intent").Where(c.P, "customer"));
         });
    }

    private static JsonObject CreatePaymentIntent(Call c)
    {
        var p = c.P;
        p.Allow("amount", "currency", "customer", "payment_method", "confirm", "capture_method", "description", "metadata", "allowed_payment_method_types", "excluded_payment_method_types",
            "receipt_email", "setup_future_usage", "automatic_payment_methods", "off_session", "return_url", "statement_descriptor", "statement_descriptor_suffix",
            "transfer_data", "transfer_group", "on_behalf_of", "application_fee_amount", "error_on_requires_action", "confirmation_method");
        var pi = NewPaymentIntent(c, p.ReqInt("amount"), Core.Currency(p), p.Str("customer"), p.Str("description"), p.Metadata());
        pi["capture_method"] = p.Enum("capture_method", "automatic", "automatic_async", "manual") ?? "automatic_async";
        pi["receipt_email"] = p.Str("receipt_email");
        pi["setup_future_usage"] = p.Enum("setup_future_usage", "on_session", "off_session");
        pi["statement_descriptor"] = p.Str("statement_descriptor");
        pi["statement_descriptor_suffix"] = p.Str("statement_descriptor_suffix");
        pi["transfer_group"] = p.Str("transfer_group");
        if (p.Obj("transfer_data") is { } td)
        {
            td.Allow("destination", "amount");
            var destination = td.Req("destination");
            if (!c.State.AccountExists(destination)) throw StripeError.Missing("account", destination, "transfer_data[destination]");
            pi["transfer_data"] = new JsonObject { ["amount"] = td.Int("amount"), ["destination"] = destination };
        }
        var types = p.Strings("allowed_payment_method_types").ToList();
        if (types.Count > 0)
        {
            pi["allowed_payment_method_types"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray());
            pi["payment_method_types"] = new JsonArray(types.Select(t => (JsonNode)t).ToArray());
            pi["automatic_payment_methods"] = null;
        }
        if (p.Str("payment_method") is { } pmId)
        {
            pi["payment_method"] = ResolvePaymentMethod(c, pmId, "payment_method").Pm["id"]!.GetValue<string>();
            pi["status"] = "requires_confirmation";
        }
        c.Create("payment_intent", pi);
        return p.Bool("confirm") == true ? Confirm(c, pi, null) : pi;
    }

    public static JsonObject NewPaymentIntent(Call c, long amount, string currency, string? customer, string? description, JsonObject? metadata)
    {
        if (amount < 50) throw StripeError.Invalid("Amount must be at least 50 cents (or the equivalent in the charge currency).", "amount", "amount_too_small");
        if (amount > 99_999_999) throw StripeError.Invalid("Amount must be no more than 999,999.99.", "amount", "amount_too_large");
        if (customer is not null) c.Get("customer", customer, "customer");
        var id = c.State.NewId("pi");
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "payment_intent",
            ["amount"] = amount,
            ["amount_capturable"] = 0,
            ["amount_received"] = 0,
            ["application"] = null,
            ["application_fee_amount"] = null,
            ["automatic_payment_methods"] = new JsonObject { ["allow_redirects"] = "always", ["enabled"] = true },
            ["canceled_at"] = null,
            ["cancellation_reason"] = null,
            ["capture_method"] = "automatic_async",
            ["client_secret"] = c.State.Secret(id),
            ["confirmation_method"] = "automatic",
            ["created"] = c.Now,
            ["currency"] = currency,
            ["customer"] = customer,
            ["description"] = description,
            ["last_payment_error"] = null,
            ["latest_charge"] = null,
            ["livemode"] = false,
            ["metadata"] = metadata ?? new JsonObject(),
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = null,
            ["payment_method_configuration_details"] = null,
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray("card"),
            ["processing"] = null,
            ["receipt_email"] = null,
            ["review"] = null,
            ["setup_future_usage"] = null,
            ["shipping"] = null,
            ["source"] = null,
            ["statement_descriptor"] = null,
            ["statement_descriptor_suffix"] = null,
            ["status"] = "requires_payment_method",
            ["transfer_data"] = null,
            ["transfer_group"] = null,
        };
    }

    /// <summary>
    /// Confirms a payment intent with its payment method: test cards succeed, decline (402 card_error
    /// with the decline_code; the intent goes back to requires_payment_method), ask for
    /// authentication (requires_action) or succeed and then get disputed.
    /// </summary>
    public static JsonObject Confirm(Call c, JsonObject pi, string? paymentMethod)
    {
        var pmId = paymentMethod ?? Lists.Text(pi["payment_method"])
            ?? throw StripeError.Invalid("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent, provide a payment_method.", "payment_method", "payment_intent_unexpected_state");
        var (pm, behaviour) = ResolvePaymentMethod(c, pmId, "payment_method");
        pi["payment_method"] = pm["id"]!.GetValue<string>();
        var card = TestCards[behaviour];
        var amount = pi["amount"]!.Long();

        if (card.DeclineCode is not null)
        {
            var charge = NewCharge(c, pi, pm, card, amount, succeeded: false);
            pi["status"] = "requires_payment_method";
            pi["latest_charge"] = charge["id"]!.GetValue<string>();
            var error = new StripeError(402, "card_error", card.Message, card.Code, card.Code == "incorrect_cvc" ? "cvc" : null) { DeclineCode = card.DeclineCode };
            error.Extra["charge"] = charge["id"]!.GetValue<string>();
            error.Extra["payment_method"] = pm.DeepClone();
            pi["last_payment_error"] = ErrorObject(error);
            error.Extra["payment_intent"] = pi.DeepClone();
            c.Emit("payment_intent.payment_failed", pi);
            throw error;
        }
        if (card.Authenticate)
        {
            pi["status"] = "requires_action";
            pi["next_action"] = new JsonObject
            {
                ["type"] = "use_stripe_sdk",
                ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect", ["stripe_js"] = $"https://hooks.stripe.com/3d_secure_2/hosted?payment_intent={pi["id"]}" },
            };
            c.Emit("payment_intent.requires_action", pi);
            return pi;
        }

        var manual = pi["capture_method"]!.GetValue<string>() == "manual";
        var ch = NewCharge(c, pi, pm, card, amount, succeeded: true, captured: !manual);
        pi["latest_charge"] = ch["id"]!.GetValue<string>();
        pi["last_payment_error"] = null;
        pi["next_action"] = null;
        if (manual)
        {
            pi["status"] = "requires_capture";
            pi["amount_capturable"] = amount;
            c.Emit("payment_intent.amount_capturable_updated", pi);
        }
        else
        {
            pi["status"] = "succeeded";
            pi["amount_received"] = amount;
            c.Emit("payment_intent.succeeded", pi);
        }
        if (card.Dispute) CreateDispute(c, ch);
        return pi;
    }

    private static JsonObject Capture(Call c)
    {
        c.P.Allow("amount_to_capture", "metadata", "statement_descriptor", "application_fee_amount", "final_capture");
        var pi = c.Get("payment_intent", c.Id);
        if (pi["status"]!.GetValue<string>() != "requires_capture")
            throw StripeError.InvalidState($"This PaymentIntent could not be captured because it has a status of {pi["status"]}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.", "payment_intent");
        var capturable = pi["amount_capturable"]!.Long();
        var amount = c.P.Int("amount_to_capture") ?? capturable;
        if (amount < 1 || amount > capturable)
            throw StripeError.Invalid($"The amount to capture ({amount}) must be between 1 and the capturable amount ({capturable}).", "amount_to_capture", "amount_too_large");
        var charge = c.Get("charge", pi["latest_charge"]!.GetValue<string>());
        charge["captured"] = true;
        charge["amount_captured"] = amount;
        if (amount < capturable)
        {
            charge["amount_refunded"] = capturable - amount;
        }
        Settle(c, charge, amount);
        if (c.P.Metadata() is { } md) Core.Merge(pi, md);
        pi["status"] = "succeeded";
        pi["amount_received"] = amount;
        pi["amount_capturable"] = 0;
        c.Emit("charge.captured", charge);
        c.Emit("payment_intent.succeeded", pi);
        return pi;
    }

    private static JsonObject UpdatePaymentIntent(Call c)
    {
        var p = c.P;
        p.Allow("amount", "currency", "customer", "description", "metadata", "payment_method", "receipt_email", "setup_future_usage", "statement_descriptor", "statement_descriptor_suffix", "capture_method", "allowed_payment_method_types", "transfer_group");
        var pi = c.Get("payment_intent", c.Id);
        var status = pi["status"]!.GetValue<string>();
        var changesMoney = p.Has("amount") || p.Has("currency") || p.Has("payment_method");
        if (status is "succeeded" or "canceled" || (changesMoney && status is "requires_capture" or "processing"))
            throw StripeError.InvalidState($"This PaymentIntent's {(changesMoney ? "amount, currency or payment_method" : "fields")} could not be updated because it has a status of {status}.", "payment_intent");
        if (p.Int("amount") is { } amount)
        {
            if (amount < 50) throw StripeError.Invalid("Amount must be at least 50 cents (or the equivalent in the charge currency).", "amount", "amount_too_small");
            pi["amount"] = amount;
        }
        if (p.Has("currency")) pi["currency"] = Core.Currency(p);
        if (p.Str("customer") is { } cus) pi["customer"] = c.Get("customer", cus, "customer")["id"]!.GetValue<string>();
        foreach (var f in new[] { "description", "receipt_email", "statement_descriptor", "statement_descriptor_suffix", "transfer_group" })
            if (p.Has(f)) pi[f] = p.IsEmpty(f) ? null : p.Str(f);
        if (p.Enum("capture_method", "automatic", "automatic_async", "manual") is { } cm) pi["capture_method"] = cm;
        if (p.Str("payment_method") is { } pm)
        {
            pi["payment_method"] = ResolvePaymentMethod(c, pm, "payment_method").Pm["id"]!.GetValue<string>();
            pi["status"] = "requires_confirmation";
        }
        if (p.Metadata() is { } md) Core.Merge(pi, md);
        return pi; // Stripe emits no event for an update of a payment intent
    }

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> PaymentIntentSearch = new()
    {
        ["amount"] = o => o["amount"], ["currency"] = o => o["currency"], ["customer"] = o => o["customer"],
        ["status"] = o => o["status"], ["created"] = o => o["created"],
    };
}
