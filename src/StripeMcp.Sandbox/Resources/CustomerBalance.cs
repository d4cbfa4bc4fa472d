using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>
/// A customer's credit balance and its transactions. A negative balance is credit the customer has (applied to
/// the next finalized invoice); a positive one is owed and added to it.
/// </summary>
internal static partial class Billing
{
    private static void RegisterCustomerBalance(Router r)
    {
        r.Post("/v1/customers/{id}/balance_transactions", c =>
        {
            var p = c.P;
            p.Allow("amount", "currency", "description", "metadata");
            var customer = c.Get("customer", c.Id, "customer");
            var amount = p.ReqInt("amount");
            if (amount == 0) throw StripeError.Invalid("The amount must not be zero.", "amount");
            var txn = BalanceTransaction(c, customer, amount, Core.Currency(p), "adjustment", null, null);
            txn["description"] = p.Str("description");
            txn["metadata"] = p.Metadata() ?? new JsonObject();
            return txn;
        })
         .Get("/v1/customers/{id}/balance_transactions/{transaction}", c => BalanceTransactionOf(c))
         .Post("/v1/customers/{id}/balance_transactions/{transaction}", c =>
         {
             c.P.Allow("description", "metadata");
             var txn = BalanceTransactionOf(c);
             if (c.P.Has("description")) txn["description"] = c.P.IsEmpty("description") ? null : c.P.Str("description");
             if (c.P.Metadata() is { } md) Core.Merge(txn, md);
             return txn;
         })
         .Get("/v1/customers/{id}/balance_transactions", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "invoice"]);
             c.Get("customer", c.Id, "customer");
             return Lists.Page(c, c.All("customer_balance_transaction").Where(t => Lists.Text(t["customer"]) == c.Id).Where(c.P, "invoice"),
                 $"/v1/customers/{c.Id}/balance_transactions");
         });
    }

    private static JsonObject BalanceTransactionOf(Call c)
    {
        c.Get("customer", c.Id, "customer");
        var txn = c.Get("customer_balance_transaction", c.Args["transaction"], "transaction");
        return Lists.Text(txn["customer"]) == c.Id ? txn : throw StripeError.Missing("customer balance transaction", c.Args["transaction"], "transaction");
    }

    /// <summary>Moves the customer's balance by <paramref name="amount"/> and records why.</summary>
    private static JsonObject BalanceTransaction(Call c, JsonObject customer, long amount, string currency, string type, string? invoice, string? creditNote)
    {
        if (Lists.Text(customer["currency"]) is { } own && own != currency && customer["balance"]!.Long() != 0)
            throw StripeError.Invalid($"The customer's balance is in {own}; a transaction in {currency} cannot change it.", "currency");
        var ending = customer["balance"]!.Long() + amount;
        customer["balance"] = ending;
        customer["currency"] ??= currency;
        var txn = new JsonObject
        {
            ["id"] = c.State.NewId("cbtxn"),
            ["object"] = "customer_balance_transaction",
            ["amount"] = amount,
            ["checkout_session"] = null,
            ["created"] = c.Now,
            ["credit_note"] = creditNote,
            ["currency"] = currency,
            ["customer"] = customer["id"]!.DeepClone(),
            ["description"] = null,
            ["ending_balance"] = ending,
            ["invoice"] = invoice,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["type"] = type,
        };
        c.State.Add(c.Account, "customer_balance_transaction", txn);
        return txn;
    }

    /// <summary>At finalization the customer's balance (credit or debt, same currency) goes onto the invoice.</summary>
    private static void ApplyBalance(Call c, JsonObject customer, JsonObject invoice)
    {
        var balance = customer["balance"]!.Long();
        invoice["starting_balance"] = balance;
        invoice["ending_balance"] = balance;
        if (balance != 0 && Lists.Text(customer["currency"]) == Lists.Text(invoice["currency"]))
        {
            var owed = invoice["total"]!.Long() - invoice["pre_payment_credit_notes_amount"]!.Long();
            var applied = balance < 0 ? Math.Max(balance, -owed) : balance;
            if (applied != 0)
            {
                BalanceTransaction(c, customer, -applied, Lists.Text(invoice["currency"])!, "applied_to_invoice", invoice["id"]!.GetValue<string>(), null);
                invoice["ending_balance"] = balance - applied;
            }
        }
        Amounts(invoice);
    }
}
