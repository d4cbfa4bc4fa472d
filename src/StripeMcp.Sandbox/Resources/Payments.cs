using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment intents, charges, refunds, disputes (payment methods and setup intents: PaymentMethods.cs; checkout and payment links: Checkout.cs).</summary>
internal static partial class Payments
{
    /// <summary>Stripe's test payment methods and what they do.</summary>
    private sealed record TestCard(string Brand, string Last4, string? DeclineCode = null, string Code = "card_declined", string Message = "Your card was declined.", bool Authenticate = false, bool Dispute = false);

    private static readonly Dictionary<string, TestCard> TestCards = new(StringComparer.Ordinal)
    {
        ["pm_card_visa"] = new("visa", "4242"),
        ["pm_card_mastercard"] = new("mastercard", "4444"),
        ["pm_card_amex"] = new("amex", "8431"),
        ["pm_card_visa_debit"] = new("visa", "5556"),
        ["pm_card_chargeDeclined"] = new("visa", "0002", "generic_decline"),
        ["pm_card_chargeDeclinedInsufficientFunds"] = new("visa", "9995", "insufficient_funds", Message: "Your card has insufficient funds."),
        ["pm_card_chargeDeclinedLostCard"] = new("visa", "9987", "lost_card"),
        ["pm_card_chargeDeclinedStolenCard"] = new("visa", "9979", "stolen_card"),
        ["pm_card_chargeDeclinedFraudulent"] = new("visa", "0019", "fraudulent"),
        ["pm_card_chargeDeclinedExpiredCard"] = new("visa", "0069", "expired_card", "expired_card", "Your card has expired."),
        ["pm_card_chargeDeclinedIncorrectCvc"] = new("visa", "0127", "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect."),
        ["pm_card_chargeDeclinedProcessingError"] = new("visa", "0119", "processing_error", "processing_error", "An error occurred while processing your card. Try again in a little bit."),
        ["pm_card_authenticationRequired"] = new("visa", "3155", Authenticate: true),
        ["pm_card_createDispute"] = new("visa", "0259", Dispute: true),
    };

    public static void Register(Router r)
    {
        RegisterPayments(r);
        RegisterPaymentMethods(r);
        RegisterCheckout(r);
    }

    private static void RegisterPayments(Router r)
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

        r.Get("/v1/charges/search", c => Lists.Search(c, c.All("charge"), ChargeSearch))
         .Get("/v1/charges/{id}", c => c.Get("charge", c.Id))
         .Get("/v1/charges", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "payment_intent", "transfer_group"]);
             return Lists.Page(c, c.All("charge").Where(c.P, "customer", "payment_intent", "transfer_group"));
         });

        r.Post("/v1/refunds", CreateRefund)
         .Get("/v1/refunds/{id}", c => c.Get("refund", c.Id))
         .Post("/v1/refunds/{id}", c =>
         {
             c.P.Allow("metadata");
             var refund = c.Get("refund", c.Id);
             if (c.P.Metadata() is { } md) Core.Merge(refund, md);
             c.Emit("refund.updated", refund);
             return refund;
         })
         .Post("/v1/refunds/{id}/cancel", c =>
         {
             c.P.Allow();
             var refund = c.Get("refund", c.Id);
             // Card refunds succeed at once; only refunds waiting for the customer's details (requires_action) can be canceled.
             if (Lists.Text(refund["status"]) != "requires_action")
                 throw StripeError.InvalidState($"Refund {c.Id} cannot be canceled because it has a status of {refund["status"]}. Only refunds with a status of requires_action can be canceled.");
             refund["status"] = "canceled";
             c.Emit("refund.updated", refund);
             return refund;
         })
         .Get("/v1/refunds", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "charge", "payment_intent"]);
             return Lists.Page(c, c.All("refund").Where(c.P, "charge", "payment_intent"));
         });

        r.Get("/v1/disputes/{id}", c => c.Get("dispute", c.Id))
         .Post("/v1/disputes/{id}", UpdateDispute)
         .Post("/v1/disputes/{id}/close", c =>
         {
             c.P.Allow();
             var d = c.Get("dispute", c.Id);
             if (d["status"]!.GetValue<string>() is not ("needs_response" or "warning_needs_response"))
                 throw StripeError.InvalidState($"This dispute has status {d["status"]}: only a dispute that needs a response can be closed (accepted).");
             d["status"] = "lost";
             c.Emit("charge.dispute.closed", d);
             return d;
         })
         .Get("/v1/disputes", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "charge", "payment_intent"]);
             return Lists.Page(c, c.All("dispute").Where(c.P, "charge", "payment_intent"));
         });
    }

    // ---- payment intents ----

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

    private static JsonObject ErrorObject(StripeError e)
    {
        var o = e.ToJson()["error"]!.AsObject();
        o.Remove("payment_intent");
        return (JsonObject)o.DeepClone();
    }

    private static JsonObject NewCharge(Call c, JsonObject pi, JsonObject pm, TestCard card, long amount, bool succeeded, bool captured = true)
    {
        var id = c.State.NewId("ch");
        var currency = pi["currency"]!.GetValue<string>();
        var charge = new JsonObject
        {
            ["id"] = id,
            ["object"] = "charge",
            ["amount"] = amount,
            ["amount_captured"] = succeeded && captured ? amount : 0,
            ["amount_refunded"] = 0,
            ["application"] = null,
            ["application_fee"] = null,
            ["application_fee_amount"] = null,
            ["balance_transaction"] = null,
            ["billing_details"] = pm["billing_details"]!.DeepClone(),
            ["calculated_statement_descriptor"] = "STRIPEMCP SANDBOX",
            ["captured"] = succeeded && captured,
            ["created"] = c.Now,
            ["currency"] = currency,
            ["customer"] = pi["customer"]?.DeepClone(),
            ["description"] = pi["description"]?.DeepClone(),
            ["disputed"] = false,
            ["failure_balance_transaction"] = null,
            ["failure_code"] = succeeded ? null : card.Code,
            ["failure_message"] = succeeded ? null : card.Message,
            ["fraud_details"] = new JsonObject(),
            ["livemode"] = false,
            ["metadata"] = pi["metadata"]!.DeepClone(),
            ["on_behalf_of"] = null,
            ["outcome"] = new JsonObject
            {
                ["network_status"] = succeeded ? "approved_by_network" : "declined_by_network",
                ["reason"] = succeeded ? null : card.DeclineCode,
                ["risk_level"] = "normal",
                ["risk_score"] = 12,
                ["seller_message"] = succeeded ? "Payment complete." : "The bank did not return any further details with this decline.",
                ["type"] = succeeded ? "authorized" : "issuer_declined",
            },
            ["paid"] = succeeded,
            ["payment_intent"] = pi["id"]!.GetValue<string>(),
            ["payment_method"] = pm["id"]!.GetValue<string>(),
            ["payment_method_details"] = new JsonObject
            {
                ["card"] = new JsonObject
                {
                    ["brand"] = card.Brand, ["country"] = "US", ["exp_month"] = pm["card"]!["exp_month"]!.DeepClone(),
                    ["exp_year"] = pm["card"]!["exp_year"]!.DeepClone(), ["funding"] = pm["card"]!["funding"]!.DeepClone(),
                    ["last4"] = card.Last4, ["network"] = card.Brand,
                },
                ["type"] = "card",
            },
            ["receipt_email"] = pi["receipt_email"]?.DeepClone(),
            ["receipt_number"] = null,
            ["receipt_url"] = $"https://pay.stripe.com/receipts/payment/{id}",
            ["refunded"] = false,
            ["review"] = null,
            ["shipping"] = null,
            ["source_transfer"] = null,
            ["statement_descriptor"] = pi["statement_descriptor"]?.DeepClone(),
            ["statement_descriptor_suffix"] = null,
            ["status"] = succeeded ? "succeeded" : "failed",
            ["transfer_data"] = pi["transfer_data"]?.DeepClone(),
            ["transfer_group"] = pi["transfer_group"]?.DeepClone(),
        };
        c.Create("charge", charge, succeeded ? (captured ? "charge.succeeded" : "charge.succeeded") : "charge.failed");
        if (succeeded && captured) Settle(c, charge, amount);
        return charge;
    }

    /// <summary>A captured charge moves money: a balance transaction (amount − fee) and, with transfer_data, a transfer.</summary>
    private static void Settle(Call c, JsonObject charge, long amount)
    {
        var currency = charge["currency"]!.GetValue<string>();
        var fee = (long)Math.Round(amount * 0.029m + 30);
        var txn = Connect.BalanceTransaction(c, amount, fee, currency, "charge", "charge", charge["id"]!.GetValue<string>(), "Payment");
        charge["balance_transaction"] = txn["id"]!.GetValue<string>();
        if (charge["transfer_data"] is JsonObject td)
            Connect.Transfer(c, td["amount"]?.Long() ?? amount, currency, td["destination"]!.GetValue<string>(), charge["id"]!.GetValue<string>(), null);
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

    private static readonly Dictionary<string, Func<JsonObject, JsonNode?>> ChargeSearch = new()
    {
        ["amount"] = o => o["amount"], ["currency"] = o => o["currency"], ["customer"] = o => o["customer"], ["status"] = o => o["status"],
        ["payment_intent"] = o => o["payment_intent"], ["refunded"] = o => o["refunded"], ["disputed"] = o => o["disputed"],
        ["last4"] = o => o["payment_method_details"]?["card"]?["last4"], ["created"] = o => o["created"],
    };

    // ---- refunds ----

    internal static JsonObject CreateRefund(Call c)
    {
        var p = c.P;
        p.Allow("payment_intent", "charge", "amount", "reason", "metadata", "refund_application_fee", "reverse_transfer", "instructions_email");
        JsonObject charge;
        if (p.Str("charge") is { } chId) charge = c.Get("charge", chId, "charge");
        else if (p.Str("payment_intent") is { } piId)
        {
            var pi = c.Get("payment_intent", piId, "payment_intent");
            if (pi["status"]!.GetValue<string>() != "succeeded" || Lists.Text(pi["latest_charge"]) is not { } latest)
                throw StripeError.InvalidState($"This PaymentIntent does not have a successful charge to refund (status {pi["status"]}).", "payment_intent");
            charge = c.Get("charge", latest);
        }
        else throw StripeError.Invalid("One of the following params should be provided for this request: payment_intent or charge.", code: "parameter_missing");

        var captured = charge["amount_captured"]!.Long();
        var refunded = charge["amount_refunded"]!.Long();
        var left = captured - refunded;
        var currency = charge["currency"]!.GetValue<string>();
        if (left <= 0)
            throw StripeError.Invalid($"Charge {charge["id"]} has already been refunded.", code: "charge_already_refunded");
        var amount = p.Int("amount") ?? left;
        if (amount < 1) throw StripeError.Invalid("Refund amount must be positive.", "amount");
        if (amount > left)
            throw StripeError.Invalid($"Refund amount ({Money(amount, currency)}) is greater than unrefunded amount on charge ({Money(left, currency)})", "amount", "amount_too_large");

        var id = c.State.NewId("re");
        var txn = Connect.BalanceTransaction(c, -amount, 0, currency, "refund", "refund", id, "REFUND FOR CHARGE");
        charge["amount_refunded"] = refunded + amount;
        charge["refunded"] = refunded + amount == captured;
        var refund = new JsonObject
        {
            ["id"] = id,
            ["object"] = "refund",
            ["amount"] = amount,
            ["balance_transaction"] = txn["id"]!.GetValue<string>(),
            ["charge"] = charge["id"]!.GetValue<string>(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["destination_details"] = new JsonObject
            {
                ["card"] = new JsonObject { ["reference_status"] = "pending", ["reference_type"] = "acquirer_reference_number", ["type"] = "refund" },
                ["type"] = "card",
            },
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["reason"] = p.Enum("reason", "duplicate", "fraudulent", "requested_by_customer"),
            ["receipt_number"] = null,
            ["source_transfer_reversal"] = null,
            ["status"] = "succeeded",
            ["transfer_reversal"] = null,
        };
        c.Create("refund", refund);
        c.Emit("charge.refunded", charge);
        return refund;
    }

    public static string Money(long amount, string currency) =>
        currency is "jpy" or "krw" ? $"{amount} {currency.ToUpperInvariant()}" : $"${amount / 100m:0.00}";

    // ---- disputes ----

    private static readonly string[] EvidenceFields =
    [
        "access_activity_log", "billing_address", "cancellation_policy", "cancellation_policy_disclosure", "cancellation_rebuttal",
        "customer_communication", "customer_email_address", "customer_name", "customer_purchase_ip", "customer_signature",
        "duplicate_charge_documentation", "duplicate_charge_explanation", "duplicate_charge_id", "product_description", "receipt",
        "refund_policy", "refund_policy_disclosure", "refund_refusal_explanation", "service_date", "service_documentation",
        "shipping_address", "shipping_carrier", "shipping_date", "shipping_documentation", "shipping_tracking_number",
        "uncategorized_file", "uncategorized_text",
    ];

    private static void CreateDispute(Call c, JsonObject charge)
    {
        var amount = charge["amount"]!.Long();
        var currency = charge["currency"]!.GetValue<string>();
        var id = c.State.NewId("dp");
        var txn = Connect.BalanceTransaction(c, -amount, 1500, currency, "adjustment", "dispute", id, $"Chargeback withdrawal for {charge["id"]}");
        charge["disputed"] = true;
        var evidence = new JsonObject();
        foreach (var f in EvidenceFields) evidence[f] = null;
        c.Create("dispute", new JsonObject
        {
            ["id"] = id,
            ["object"] = "dispute",
            ["amount"] = amount,
            ["balance_transactions"] = new JsonArray(txn.DeepClone()),
            ["charge"] = charge["id"]!.GetValue<string>(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["evidence"] = evidence,
            ["evidence_details"] = new JsonObject
            {
                ["due_by"] = c.Now + 7 * 86400, ["has_evidence"] = false, ["past_due"] = false, ["submission_count"] = 0,
            },
            ["is_charge_refundable"] = false,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["payment_intent"] = charge["payment_intent"]?.DeepClone(),
            ["reason"] = "fraudulent",
            ["status"] = "needs_response",
        }, "charge.dispute.created");
    }

    private static JsonObject UpdateDispute(Call c)
    {
        var p = c.P;
        p.Allow("evidence", "submit", "metadata");
        var d = c.Get("dispute", c.Id);
        if (d["status"]!.GetValue<string>() is not ("needs_response" or "warning_needs_response"))
            throw StripeError.InvalidState($"This dispute has status {d["status"]} and can no longer be updated: evidence was already submitted or the dispute is closed.");
        if (p.Obj("evidence") is { } ev)
        {
            ev.Allow(EvidenceFields);
            foreach (var (k, v) in ev.Node) d["evidence"]![k] = v?.DeepClone();
            d["evidence_details"]!["has_evidence"] = true;
        }
        if (p.Metadata() is { } md) Core.Merge(d, md);
        if (p.Bool("submit") == true)
        {
            d["status"] = "under_review";
            d["evidence_details"]!["submission_count"] = d["evidence_details"]!["submission_count"]!.Long() + 1;
        }
        c.Emit("charge.dispute.updated", d);
        return d;
    }
}
