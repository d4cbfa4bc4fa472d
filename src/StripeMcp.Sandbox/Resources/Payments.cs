using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Payments: registers the routes of payment intents, charges, refunds and disputes (one file each), payment methods and setup intents (PaymentMethods.cs), checkout sessions and payment links (Checkout.cs), and holds what they share.</summary>
internal static partial class Payments
{
    public static void Register(Router r)
    {
        RegisterPaymentIntents(r);
        RegisterCharges(r);
        RegisterRefunds(r);
        RegisterDisputes(r);
        RegisterPaymentMethods(r);
        RegisterCheckout(r);
    }

    private static JsonObject ErrorObject(StripeError e)
    {
        var o = e.ToJson()["error"]!.AsObject();
        o.Remove("payment_intent");
        return (JsonObject)o.DeepClone();
    }

    public static string Money(long amount, string currency) =>
        currency is "jpy" or "krw" ? $"{amount} {currency.ToUpperInvariant()}" : $"${amount / 100m:0.00}";
}
