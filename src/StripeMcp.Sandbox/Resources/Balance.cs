using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>The balance: the sum of the account's balance transactions, by currency.</summary>
internal static partial class Connect
{
    private static void RegisterBalance(Router r)
    {
        r.Get("/v1/balance", c =>
        {
            c.P.Allow();
            var byCurrency = c.All("balance_transaction").GroupBy(t => t["currency"]!.GetValue<string>())
                .Select(g => (Currency: g.Key, Net: g.Sum(t => t["net"]!.Long()))).OrderBy(x => x.Currency).ToList();
            if (byCurrency.Count == 0) byCurrency.Add(("usd", 0));
            return new JsonObject
            {
                ["object"] = "balance",
                ["available"] = new JsonArray(byCurrency.Select(x => (JsonNode)Funds(x.Currency, x.Net)).ToArray()),
                ["livemode"] = false,
                ["pending"] = new JsonArray(byCurrency.Select(x => (JsonNode)Funds(x.Currency, 0)).ToArray()),
            };
        });
    }

    private static JsonObject Funds(string currency, long amount) =>
        new() { ["amount"] = amount, ["currency"] = currency, ["source_types"] = new JsonObject { ["card"] = amount } };

    public static long Available(Call c, string currency) =>
        c.All("balance_transaction").Where(t => t["currency"]!.GetValue<string>() == currency).Sum(t => t["net"]!.Long());
}
