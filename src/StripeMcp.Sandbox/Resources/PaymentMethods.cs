using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payment methods (Stripe's test cards among them) and setup intents.</summary>
internal static partial class Payments
{
    private static void RegisterPaymentMethods(Router r)
    {
        r.Get("/v1/payment_methods/{id}", c => ResolvePaymentMethod(c, c.Id, "id").Pm)
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

        r.Post("/v1/setup_intents", CreateSetupIntent)
         .Get("/v1/setup_intents/{id}", c => c.Get("setup_intent", c.Id))
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
        p.Allow("customer", "payment_method", "confirm", "usage", "payment_method_types", "description", "metadata", "automatic_payment_methods", "return_url", "on_behalf_of");
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
        if (p.Bool("confirm") == true)
        {
            var pm = si["payment_method"]?.GetValue<string>()
                ?? throw StripeError.Invalid("You cannot confirm this SetupIntent because it's missing a payment method.", "payment_method", "setup_intent_unexpected_state");
            var card = TestCards[c.State.CardBehaviour[pm]];
            if (card.DeclineCode is not null)
            {
                si["status"] = "requires_payment_method";
                var error = new StripeError(402, "card_error", card.Message, card.Code) { DeclineCode = card.DeclineCode };
                si["last_setup_error"] = ErrorObject(error);
                error.Extra["setup_intent"] = si.DeepClone();
                throw error;
            }
            if (card.Authenticate)
            {
                si["status"] = "requires_action";
                si["next_action"] = new JsonObject { ["type"] = "use_stripe_sdk", ["use_stripe_sdk"] = new JsonObject { ["type"] = "three_d_secure_redirect" } };
            }
            else
            {
                si["status"] = "succeeded";
                if (customer is not null) AttachPaymentMethod(c, pm, customer);
                c.Emit("setup_intent.succeeded", si);
            }
        }
        return si;
    }
}
