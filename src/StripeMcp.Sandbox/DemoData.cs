namespace StripeMcp.Sandbox;

/// <summary>
/// A small demo account for `stripe-mcp --sandbox`: products with one-time and recurring prices,
/// customers with cards, a paid invoice and a succeeded payment — enough for an agent to explore.
/// </summary>
public static class DemoData
{
    public static void Seed(Sandbox sandbox)
    {
        var tshirt = Id(sandbox.Execute("POST", "/v1/products", "name=Sandbox%20T-shirt&description=Organic%20cotton%20tee&metadata[sku]=TSHIRT-01"));
        var tshirtPrice = Id(sandbox.Execute("POST", "/v1/prices", $"product={tshirt}&unit_amount=2500&currency=usd&nickname=T-shirt&lookup_key=tshirt_usd"));
        sandbox.Execute("POST", $"/v1/products/{tshirt}", $"default_price={tshirtPrice}");

        var pro = Id(sandbox.Execute("POST", "/v1/products", "name=Pro%20plan&description=Everything%2C%20billed%20monthly%20or%20yearly"));
        sandbox.Execute("POST", "/v1/prices", $"product={pro}&unit_amount=2000&currency=usd&recurring[interval]=month&nickname=Pro%20monthly&lookup_key=pro_monthly");
        sandbox.Execute("POST", "/v1/prices", $"product={pro}&unit_amount=20000&currency=usd&recurring[interval]=year&nickname=Pro%20yearly&lookup_key=pro_yearly");

        var consulting = Id(sandbox.Execute("POST", "/v1/products", "name=Consulting%20hour"));
        var hour = Id(sandbox.Execute("POST", "/v1/prices", $"product={consulting}&unit_amount=15000&currency=usd&nickname=Hourly&lookup_key=consulting_hour"));

        var jenny = Id(sandbox.Execute("POST", "/v1/customers", "name=Jenny%20Rosen&email=jenny.rosen%40example.com&metadata[plan]=pro"));
        sandbox.Execute("POST", "/v1/payment_methods/pm_card_visa/attach", $"customer={jenny}");
        var ada = Id(sandbox.Execute("POST", "/v1/customers", "name=Ada%20Lovelace&email=ada%40example.com"));
        sandbox.Execute("POST", "/v1/customers", "name=Grace%20Hopper&email=grace%40example.com");

        // A paid invoice: two consulting hours for Jenny, charged to her card.
        var invoice = Id(sandbox.Execute("POST", "/v1/invoices", $"customer={jenny}&description=Consulting%2C%20March"));
        sandbox.Execute("POST", "/v1/invoiceitems", $"customer={jenny}&invoice={invoice}&pricing[price]={hour}&quantity=2");
        sandbox.Execute("POST", $"/v1/invoices/{invoice}/finalize");
        sandbox.Execute("POST", $"/v1/invoices/{invoice}/pay", "payment_method=pm_card_visa");

        // A succeeded one-off payment from Ada.
        sandbox.Execute("POST", "/v1/payment_intents", $"amount=2500&currency=usd&customer={ada}&payment_method=pm_card_visa&confirm=true&description=T-shirt");
    }

    private static string Id(System.Text.Json.Nodes.JsonObject o) => o["id"]!.GetValue<string>();
}
