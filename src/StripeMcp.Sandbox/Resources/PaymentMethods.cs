using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment methods (Stripe's test cards among them): create from a test token, attach, detach, update, list (a customer's too).</summary>
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
    }

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
