using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment methods (Stripe's test cards among them) and setup intents.</summary>
internal static partial class Payments
{
    private static void RegisterPaymentMethods(Router r)
    {
        r.Post("/v1/payment_methods", CreatePaymentMethod)
         .Get("/v1/payment_methods/{id}", c => ResolvePaymentMethod(c, c.Id, "id").Pm)
         .Post("/v1/payment_methods/{id}", c =>
         {
             var p = c.P;
             p.Allow("billing_details", "metadata", "allow_redisplay", "card");
             var pm = c.Get("payment_method", c.Id);
             if (p.Obj("billing_details") is { } bd) BillingDetails(pm, bd);
             if (p.Enum("allow_redisplay", "always", "limited", "unspecified") is { } ar) pm["allow_redisplay"] = ar;
             if (p.Obj("card") is { } card)
             {
                 card.Allow("exp_month", "exp_year", "networks");
                 if (card.Int("exp_month") is { } m) pm["card"]!["exp_month"] = m is >= 1 and <= 12 ? m : throw StripeError.Invalid("Your card's expiration month is invalid.", card.Name("exp_month"), "invalid_expiry_month");
                 if (card.Int("exp_year") is { } y) pm["card"]!["exp_year"] = y;
             }
             if (p.Metadata() is { } md) Core.Merge(pm, md);
             c.Emit("payment_method.updated", pm);
             return pm;
         })
         .Post("/v1/payment_methods/{id}/attach", c =>
         {
             c.P.Allow("customer");
             return AttachPaymentMethod(c, c.Id, c.Get("customer", c.P.Req("customer"), "customer")["id"]!.GetValue<string>());
         })
         .Post("/v1/payment_methods/{id}/detach", c =>
         {
             c.P.Allow();
             var pm = c.Get("payment_method", c.Id);
             if (pm["customer"] is null) throw StripeError.InvalidState("The payment method you provided is not attached to a customer so detachment is impossible.");
             var customer = c.Find("customer", pm["customer"]!.GetValue<string>());
             if (customer?["invoice_settings"]?["default_payment_method"]?.GetValue<string>() == c.Id) customer["invoice_settings"]!["default_payment_method"] = null;
             pm["customer"] = null;
             c.Emit("payment_method.detached", pm);
             return pm;
         })
         .Get("/v1/payment_methods", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "type"]);
             if (c.P.Str("customer") is { } cus) c.Get("customer", cus, "customer");
             return Lists.Page(c, c.All("payment_method").Where(pm => pm["customer"] is not null).Where(c.P, "customer", "type"));
         });

        r.Get("/v1/customers/{id}/payment_methods", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "type", "allow_redisplay"]);
             c.Get("customer", c.Id, "customer");
             return Lists.Page(c, c.All("payment_method").Where(pm => Lists.Text(pm["customer"]) == c.Id).Where(c.P, "type", "allow_redisplay"),
                 $"/v1/customers/{c.Id}/payment_methods");
         })
         .Get("/v1/customers/{id}/payment_methods/{payment_method}", c =>
         {
             c.Get("customer", c.Id, "customer");
             var pm = c.Get("payment_method", c.Args["payment_method"], "payment_method");
             return Lists.Text(pm["customer"]) == c.Id ? pm : throw StripeError.Missing("payment_method", c.Args["payment_method"], "payment_method");
         });

        r.Post("/v1/setup_intents", CreateSetupIntent)
         .Get("/v1/setup_intents/{id}", c => c.Get("setup_intent", c.Id))
         .Post("/v1/setup_intents/{id}", c =>
         {
             var p = c.P;
             p.Allow("customer", "description", "metadata", "payment_method", "allowed_payment_method_types", "excluded_payment_method_types", "flow_directions", "attach_to_self");
             var si = c.Get("setup_intent", c.Id);
             if (Lists.Text(si["status"]) is "succeeded" or "canceled")
                 throw StripeError.InvalidState($"This SetupIntent has a status of {si["status"]}, so it cannot be updated.", "setup_intent");
             if (p.Str("customer") is { } cus) si["customer"] = c.Get("customer", cus, "customer")["id"]!.DeepClone();
             if (p.Has("description")) si["description"] = p.IsEmpty("description") ? null : p.Str("description");
             if (p.Str("payment_method") is { } pmId)
             {
                 si["payment_method"] = ResolvePaymentMethod(c, pmId, "payment_method").Pm["id"]!.GetValue<string>();
                 si["status"] = "requires_confirmation";
             }
             if (p.Metadata() is { } md) Core.Merge(si, md);
             return si;
         })
         .Post("/v1/setup_intents/{id}/confirm", c =>
         {
             var p = c.P;
             p.Allow("payment_method", "return_url", "mandate_data", "payment_method_options", "payment_method_data", "use_stripe_sdk", "confirmation_token");
             var si = c.Get("setup_intent", c.Id);
             if (Lists.Text(si["status"]) is not ("requires_payment_method" or "requires_confirmation" or "requires_action"))
                 throw StripeError.InvalidState($"This SetupIntent's status is {si["status"]}, so it cannot be confirmed.", "setup_intent");
             if (p.Str("payment_method") is { } pmId) si["payment_method"] = ResolvePaymentMethod(c, pmId, "payment_method").Pm["id"]!.GetValue<string>();
             return ConfirmSetup(c, si);
         })
         .Post("/v1/setup_intents/{id}/cancel", c =>
         {
             c.P.Allow("cancellation_reason");
             var si = c.Get("setup_intent", c.Id);
             if (Lists.Text(si["status"]) is "succeeded" or "canceled" or "processing")
                 throw StripeError.InvalidState($"You cannot cancel this SetupIntent because it has a status of {si["status"]}. Only a SetupIntent with one of the following statuses may be canceled: requires_payment_method, requires_confirmation, requires_action.", "setup_intent");
             si["status"] = "canceled";
             si["cancellation_reason"] = c.P.Enum("cancellation_reason", "abandoned", "duplicate", "requested_by_customer");
             si["next_action"] = null;
             c.Emit("setup_intent.canceled", si);
             return si;
         })
         .Get("/v1/setup_intents", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "customer", "payment_method"]);
             return Lists.Page(c, c.All("setup_intent").Where(c.P, "customer", "payment_method"));
         });
    }

    // ---- payment methods ----

    /// <summary>
    /// A payment method by id: a stored one, or one of Stripe's test tokens (pm_card_visa …), which
    /// becomes a new payment method object the first time it is used, as on Stripe.
    /// </summary>
    public static (JsonObject Pm, string Behaviour) ResolvePaymentMethod(Call c, string id, string param)
    {
        if (c.Find("payment_method", id) is { } existing) return (existing, c.State.CardBehaviour.GetValueOrDefault(id, "pm_card_visa"));
        if (!TestCards.TryGetValue(id, out var card)) throw StripeError.Missing("PaymentMethod", id, param);
        var pmId = c.State.NewId("pm");
        var pm = new JsonObject
        {
            ["id"] = pmId,
            ["object"] = "payment_method",
            ["allow_redisplay"] = "unspecified",
            ["billing_details"] = new JsonObject
            {
                ["address"] = new JsonObject { ["city"] = null, ["country"] = null, ["line1"] = null, ["line2"] = null, ["postal_code"] = null, ["state"] = null },
                ["email"] = null, ["name"] = null, ["phone"] = null,
            },
            ["card"] = new JsonObject
            {
                ["brand"] = card.Brand,
                ["checks"] = new JsonObject { ["address_line1_check"] = null, ["address_postal_code_check"] = null, ["cvc_check"] = "pass" },
                ["country"] = "US",
                ["display_brand"] = card.Brand,
                ["exp_month"] = 12,
                ["exp_year"] = DateTime.UtcNow.Year + 3,
                ["fingerprint"] = $"Sbx{card.Last4}{card.Brand}Fp00000000"[..16],
                ["funding"] = id.Contains("debit", StringComparison.Ordinal) ? "debit" : "credit",
                ["last4"] = card.Last4,
                ["networks"] = new JsonObject { ["available"] = new JsonArray(card.Brand), ["preferred"] = null },
                ["regulated_status"] = "unregulated",
                ["three_d_secure_usage"] = new JsonObject { ["supported"] = true },
                ["wallet"] = null,
            },
            ["created"] = c.Now,
            ["customer"] = null,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = "card",
        };
        c.State.CardBehaviour[pmId] = id;
        c.Create("payment_method", pm);
        return (pm, id);
    }

    public static JsonObject AttachPaymentMethod(Call c, string id, string customerId)
    {
        var (pm, _) = ResolvePaymentMethod(c, id, "payment_method");
        var owner = Lists.Text(pm["customer"]);
        if (owner is not null && owner != customerId)
            throw StripeError.Invalid($"The payment method you provided has already been attached to a customer.", code: "payment_method_already_attached");
        pm["customer"] = customerId;
        c.Emit("payment_method.attached", pm);
        return pm;
    }

    /// <summary>The payment method to charge for a customer: given, else their default, else their newest attached one.</summary>
    public static string? DefaultPaymentMethod(Call c, string? customerId)
    {
        if (customerId is null) return null;
        var customer = c.Find("customer", customerId);
        return Lists.Text(customer?["invoice_settings"]?["default_payment_method"])
            ?? c.All("payment_method").FirstOrDefault(pm => Lists.Text(pm["customer"]) == customerId)?["id"]?.GetValue<string>();
    }

    // ---- setup intents ----

    private static JsonObject CreateSetupIntent(Call c)
    {
        var p = c.P;
        p.Allow("customer", "payment_method", "confirm", "usage", "allowed_payment_method_types", "excluded_payment_method_types", "description", "metadata", "automatic_payment_methods", "return_url", "on_behalf_of");
        var customer = p.Str("customer");
        if (customer is not null) c.Get("customer", customer, "customer");
        var id = c.State.NewId("seti");
        var si = new JsonObject
        {
            ["id"] = id,
            ["object"] = "setup_intent",
            ["application"] = null,
            ["automatic_payment_methods"] = new JsonObject { ["allow_redirects"] = "always", ["enabled"] = true },
            ["cancellation_reason"] = null,
            ["client_secret"] = c.State.Secret(id),
            ["created"] = c.Now,
            ["customer"] = customer,
            ["description"] = p.Str("description"),
            ["flow_directions"] = null,
            ["last_setup_error"] = null,
            ["latest_attempt"] = null,
            ["livemode"] = false,
            ["mandate"] = null,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["next_action"] = null,
            ["on_behalf_of"] = null,
            ["payment_method"] = null,
            ["payment_method_configuration_details"] = null,
            ["payment_method_options"] = new JsonObject(),
            ["payment_method_types"] = new JsonArray("card"),
            ["single_use_mandate"] = null,
            ["status"] = "requires_payment_method",
            ["usage"] = p.Enum("usage", "on_session", "off_session") ?? "off_session",
        };
        if (p.Str("payment_method") is { } pmId)
        {
            si["payment_method"] = ResolvePaymentMethod(c, pmId, "payment_method").Pm["id"]!.GetValue<string>();
            si["status"] = "requires_confirmation";
        }
        c.Create("setup_intent", si);
        return p.Bool("confirm") == true ? ConfirmSetup(c, si) : si;
    }

    private static JsonObject ConfirmSetup(Call c, JsonObject si)
    {
        var customer = Lists.Text(si["customer"]);
        var pm = si["payment_method"]?.GetValue<string>()
            ?? throw StripeError.Invalid("You cannot confirm this SetupIntent because it's missing a payment method.", "payment_method", "setup_intent_unexpected_state");
        var card = TestCards[c.State.CardBehaviour.GetValueOrDefault(pm, "pm_card_visa")];
        if (card.DeclineCode is not null)
        {
            si["status"] = "requires_payment_method";
            var error = new StripeError(402, "card_error", card.Message, card.Code) { DeclineCode = card.DeclineCode };
            si["last_setup_error"] = ErrorObject(error);
            error.Extra["setup_intent"] = si.DeepClone();
            c.Emit("setup_intent.setup_failed", si);
            throw error;
        }
        if (card.Authenticate)
        {
            si["status"] = "requires_action";
            si["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk", ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect" } };
            c.Emit("setup_intent.requires_action", si);
        }
        else
        {
            si["status"] = "succeeded";
            si["next_action"] = null;
            si["last_setup_error"] = null;
            if (customer is not null) AttachPaymentMethod(c, pm, customer);
            c.Emit("setup_intent.succeeded", si);
        }
        return si;
    }

    /// <summary>Test tokens Stripe takes as card[token], mapped to the test payment methods they stand for.</summary>
    private static string TestCardOfToken(string token, string param) => token switch
    {
        "tok_visa" => "pm_card_visa",
        "tok_mastercard" => "pm_card_mastercard",
        "tok_amex" => "pm_card_amex",
        "tok_visa_debit" => "pm_card_visa_debit",
        _ when token.StartsWith("tok_", StringComparison.Ordinal) && TestCards.ContainsKey("pm_card_" + token[4..]) => "pm_card_" + token[4..],
        _ => throw StripeError.Missing("token", token, param),
    };

    private static JsonObject CreatePaymentMethod(Call c)
    {
        var p = c.P;
        p.Allow("type", "card", "billing_details", "metadata", "allow_redisplay", "customer", "payment_method");
        if (p.Str("payment_method") is not null)
            throw StripeError.Invalid("Cloning a payment method (payment_method) is for Connect platforms sharing a customer's method; the sandbox does not clone. Create one from a card token instead.", "payment_method");
        var type = p.Req("type");
        if (type != "card") throw StripeError.Invalid($"The sandbox creates card payment methods only (type=card); {type} is not simulated.", "type");
        var card = p.Obj("card") ?? throw StripeError.ParamMissing("card");
        card.Allow("token", "number", "exp_month", "exp_year", "cvc", "networks");
        if (card.Has("number"))
            throw StripeError.Invalid("Sending card numbers to the API is unsafe and refused here: use a test token (card[token]=tok_visa, tok_chargeDeclined …) or a test payment method (pm_card_visa).", card.Name("number"));
        var testCard = TestCardOfToken(card.Req("token"), card.Name("token"));
        var (template, _) = ResolvePaymentMethod(c, testCard, card.Name("token")); // a fresh object, as each token use is
        if (p.Obj("billing_details") is { } bd) BillingDetails(template, bd);
        if (p.Enum("allow_redisplay", "always", "limited", "unspecified") is { } ar) template["allow_redisplay"] = ar;
        if (p.Metadata() is { } md) template["metadata"] = md;
        if (p.Str("customer") is { } cus)
            throw StripeError.Invalid("customer is for Connect platforms cloning a payment method; attach it with /v1/payment_methods/{id}/attach instead.", "customer");
        return template;
    }

    private static void BillingDetails(JsonObject pm, P bd)
    {
        bd.Allow("address", "email", "name", "phone", "tax_id");
        var details = pm["billing_details"]!.AsObject();
        foreach (var f in new[] { "email", "name", "phone" })
            if (bd.Has(f)) details[f] = bd.IsEmpty(f) ? null : bd.Str(f);
        if (bd.Obj("address") is { } a) details["address"] = Core.Address(a);
    }
}
