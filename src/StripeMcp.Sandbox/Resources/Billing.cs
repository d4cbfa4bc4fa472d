using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Billing: registers the routes of invoices, invoice items, subscriptions, subscription items, subscription schedules, quotes, credit notes, tax rates, customer balance transactions, test clocks, portal sessions and meter events (one file each) and holds what they share.</summary>
internal static partial class Billing
{
    public static void Register(Router r)
    {
        RegisterInvoices(r);
        RegisterInvoiceItems(r);
        RegisterSubscriptions(r);
        RegisterSubscriptionItems(r);
        RegisterSubscriptionSchedules(r);
        RegisterQuotes(r);
        RegisterCreditNotes(r);
        RegisterTaxRates(r);
        RegisterCustomerBalance(r);
        RegisterTestClocks(r);
        RegisterBillingPortalSessions(r);
        RegisterMeterEvents(r);
    }

    public static string Status(JsonObject o) => o["status"]!.GetValue<string>();

    private static string? SubscriptionOf(JsonObject invoice) => Lists.Text(invoice["parent"]?["subscription_details"]?["subscription"]);
}
