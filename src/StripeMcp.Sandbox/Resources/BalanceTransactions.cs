using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Balance transactions: what moves an account's balance (charges, refunds, disputes, transfers, payouts).</summary>
internal static partial class Connect
{
    private static void RegisterBalanceTransactions(Router r)
    {
        r.Get("/v1/balance_transactions/{id}", c => c.Get("balance_transaction", c.Id))
         .Get("/v1/balance_transactions", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "type", "source", "currency", "payout"]);
             return Lists.Page(c, c.All("balance_transaction").Where(c.P, "type", "source", "currency"));
         });
    }

    /// <summary>A balance transaction on the calling account: what moves the balance.</summary>
    public static JsonObject BalanceTransaction(Call c, long amount, long fee, string currency, string type, string category, string source, string description, string? account = null)
    {
        var txn = new JsonObject
        {
            ["id"] = c.State.NewId("txn"),
            ["object"] = "balance_transaction",
            ["amount"] = amount,
            ["available_on"] = c.Now,
            ["balance_type"] = "payments",
            ["created"] = c.Now,
            ["currency"] = currency,
            ["description"] = description,
            ["exchange_rate"] = null,
            ["fee"] = fee,
            ["fee_details"] = new JsonArray(fee == 0 ? [] : [new JsonObject { ["amount"] = fee, ["application"] = null, ["currency"] = currency, ["description"] = "Stripe processing fees", ["type"] = "stripe_fee" }]),
            ["net"] = amount - fee,
            ["reporting_category"] = category,
            ["source"] = source,
            ["status"] = "available",
            ["type"] = type,
        };
        c.State.Add(account ?? c.Account, "balance_transaction", txn);
        return txn;
    }
}
