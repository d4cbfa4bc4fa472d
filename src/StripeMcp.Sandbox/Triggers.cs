using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>
/// `stripe-mcp sandbox trigger &lt;event-type&gt;`: the requests that make Stripe emit an event, as Stripe's CLI
/// `stripe trigger` makes them, run against a sandbox. Each recipe makes the objects the event needs; the
/// event, and the others the flow emits, follow from the sandbox's own behaviour.
/// </summary>
public static class Triggers
{
    private static string Id(JsonObject o) => o["id"]!.GetValue<string>();

    private static string Customer(Sandbox s) => Id(s.Execute("POST", "/v1/customers", "name=Triggered customer&email=trigger@example.com"));

    private static string Price(Sandbox s, bool recurring = false) =>
        Id(s.Execute("POST", "/v1/prices", "product_data[name]=Triggered product&currency=usd&unit_amount=2000" + (recurring ? "&recurring[interval]=month" : "")));

    private static string Payment(Sandbox s, string card = "pm_card_visa") =>
        Id(s.Execute("POST", "/v1/payment_intents", $"amount=2000&currency=usd&payment_method={card}&confirm=true"));

    /// <summary>Runs a request whose refusal is the point (a declined card): Stripe's 402 is expected, the events stand.</summary>
    private static void Declined(Sandbox s, string method, string path, string form)
    {
        try { s.Execute(method, path, form); }
        catch (InvalidOperationException e) when (e.Message.Contains("card_error", StringComparison.Ordinal)) { }
    }

    private static string PaidInvoice(Sandbox s, string card = "pm_card_visa")
    {
        var customer = Customer(s);
        var invoice = Id(s.Execute("POST", "/v1/invoices", $"customer={customer}"));
        s.Execute("POST", "/v1/invoiceitems", $"customer={customer}&invoice={invoice}&amount=2000&currency=usd&description=Triggered item");
        s.Execute("POST", $"/v1/invoices/{invoice}/finalize");
        if (card == "pm_card_visa") s.Execute("POST", $"/v1/invoices/{invoice}/pay", $"payment_method={card}");
        else Declined(s, "POST", $"/v1/invoices/{invoice}/pay", $"payment_method={card}");
        return invoice;
    }

    private static string Subscription(Sandbox s)
    {
        var customer = Customer(s);
        s.Execute("POST", "/v1/payment_methods/pm_card_visa/attach", $"customer={customer}");
        return Id(s.Execute("POST", "/v1/subscriptions", $"customer={customer}&items[0][price]={Price(s, recurring: true)}"));
    }

    public static readonly IReadOnlyDictionary<string, Action<Sandbox>> Recipes = new Dictionary<string, Action<Sandbox>>(StringComparer.Ordinal)
    {
        ["customer.created"] = s => Customer(s),
        ["customer.updated"] = s => s.Execute("POST", $"/v1/customers/{Customer(s)}", "name=Renamed customer"),
        ["customer.deleted"] = s => s.Execute("DELETE", $"/v1/customers/{Customer(s)}"),
        ["product.created"] = s => s.Execute("POST", "/v1/products", "name=Triggered product"),
        ["price.created"] = s => Price(s),
        ["payment_intent.created"] = s => s.Execute("POST", "/v1/payment_intents", "amount=2000&currency=usd"),
        ["payment_intent.succeeded"] = s => Payment(s),
        ["charge.succeeded"] = s => Payment(s),
        ["payment_intent.payment_failed"] = s => Declined(s, "POST", "/v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true"),
        ["charge.failed"] = s => Declined(s, "POST", "/v1/payment_intents", "amount=2000&currency=usd&payment_method=pm_card_chargeDeclined&confirm=true"),
        ["payment_intent.canceled"] = s => s.Execute("POST", $"/v1/payment_intents/{Id(s.Execute("POST", "/v1/payment_intents", "amount=2000&currency=usd"))}/cancel"),
        ["payment_intent.requires_action"] = s => Payment(s, "pm_card_authenticationRequired"),
        ["charge.refunded"] = s => s.Execute("POST", "/v1/refunds", $"payment_intent={Payment(s)}"),
        ["refund.created"] = s => s.Execute("POST", "/v1/refunds", $"payment_intent={Payment(s)}"),
        ["charge.dispute.created"] = s => Payment(s, "pm_card_createDispute"),
        ["setup_intent.created"] = s => s.Execute("POST", "/v1/setup_intents", ""),
        ["setup_intent.succeeded"] = s => s.Execute("POST", "/v1/setup_intents", $"customer={Customer(s)}&payment_method=pm_card_visa&confirm=true"),
        ["setup_intent.setup_failed"] = s => Declined(s, "POST", "/v1/setup_intents", "payment_method=pm_card_chargeDeclined&confirm=true"),
        ["payment_method.attached"] = s => s.Execute("POST", "/v1/payment_methods/pm_card_visa/attach", $"customer={Customer(s)}"),
        ["invoice.created"] = s => PaidInvoice(s),
        ["invoice.finalized"] = s => PaidInvoice(s),
        ["invoice.paid"] = s => PaidInvoice(s),
        ["invoice.payment_failed"] = s => PaidInvoice(s, "pm_card_chargeDeclined"),
        ["customer.subscription.created"] = s => Subscription(s),
        ["customer.subscription.updated"] = s => s.Execute("POST", $"/v1/subscriptions/{Subscription(s)}", "metadata[triggered]=true"),
        ["customer.subscription.deleted"] = s => s.Execute("DELETE", $"/v1/subscriptions/{Subscription(s)}"),
        ["quote.created"] = s => s.Execute("POST", "/v1/quotes", $"customer={Customer(s)}&line_items[0][price]={Price(s)}"),
        ["quote.accepted"] = s =>
        {
            var quote = Id(s.Execute("POST", "/v1/quotes", $"customer={Customer(s)}&line_items[0][price]={Price(s)}"));
            s.Execute("POST", $"/v1/quotes/{quote}/finalize");
            s.Execute("POST", $"/v1/quotes/{quote}/accept");
        },
        ["credit_note.created"] = s => s.Execute("POST", "/v1/credit_notes", $"invoice={PaidInvoice(s)}&amount=500"),
        ["payout.created"] = s =>
        {
            Payment(s);
            s.Execute("POST", "/v1/payouts", "amount=1000&currency=usd");
        },
    };
}
