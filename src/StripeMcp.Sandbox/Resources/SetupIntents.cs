using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Setup intents: save a payment method for later; confirm with Stripe's test cards, cancel, update, list.</summary>
internal static partial class Payments
{
    private static void RegisterSetupIntents(Router r)
    {
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
}
