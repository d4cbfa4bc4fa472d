using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Transfers from the platform to connected accounts, and their reversals.</summary>
internal static partial class Connect
{
    private static void RegisterTransfers(Router r)
    {
        r.Post("/v1/transfers", c =>
        {
            var p = c.P;
            p.Allow("amount", "currency", "destination", "description", "metadata", "transfer_group", "source_transaction", "source_type");
            var amount = p.ReqInt("amount");
            if (amount < 1) throw StripeError.Invalid("Amount must be at least 1.", "amount");
            var currency = Core.Currency(p);
            var destination = p.Req("destination");
            if (c.Account != SandboxState.Platform || c.State.Find(SandboxState.Platform, "account", destination) is null)
                throw StripeError.Missing("destination", destination, "destination");
            var source = p.Str("source_transaction");
            if (source is not null) c.Get("charge", source, "source_transaction");
            else if (Available(c, currency) < amount)
                throw StripeError.Invalid($"You have insufficient available funds in your Stripe account. Try adding funds directly to your available balance by creating Charges using the 4000000000000077 test card.", "amount", "balance_insufficient");
            var transfer = Transfer(c, amount, currency, destination, source, p.Str("transfer_group"));
            transfer["description"] = p.Str("description");
            transfer["metadata"] = p.Metadata() ?? new JsonObject();
            return transfer;
        })
         .Get("/v1/transfers/{id}", c => c.Get("transfer", c.Id))
         .Post("/v1/transfers/{id}", c =>
         {
             c.P.Allow("description", "metadata");
             var transfer = c.Get("transfer", c.Id);
             if (c.P.Has("description")) transfer["description"] = c.P.IsEmpty("description") ? null : c.P.Str("description");
             if (c.P.Metadata() is { } md) Core.Merge(transfer, md);
             c.Emit("transfer.updated", transfer);
             return transfer;
         })
         .Post("/v1/transfers/{id}/reversals", ReverseTransfer)
         .Get("/v1/transfers/{id}/reversals/{reversal}", c => ReversalOf(c))
         .Post("/v1/transfers/{id}/reversals/{reversal}", c =>
         {
             c.P.Allow("metadata");
             var reversal = ReversalOf(c);
             if (c.P.Metadata() is { } md) Core.Merge(reversal, md);
             return reversal;
         })
         .Get("/v1/transfers/{id}/reversals", c =>
         {
             c.P.Allow(Lists.PagingParams);
             c.Get("transfer", c.Id);
             return Lists.Page(c, c.All("transfer_reversal").Where(r => Lists.Text(r["transfer"]) == c.Id), $"/v1/transfers/{c.Id}/reversals");
         })
         .Get("/v1/transfers", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "destination", "transfer_group"]);
             return Lists.Page(c, c.All("transfer").Where(c.P, "destination", "transfer_group"));
         });
    }

    private static JsonObject ReversalOf(Call c)
    {
        c.Get("transfer", c.Id);
        var reversal = c.Get("transfer_reversal", c.Args["reversal"], "reversal");
        return Lists.Text(reversal["transfer"]) == c.Id ? reversal : throw StripeError.Missing("transfer_reversal", c.Args["reversal"], "reversal");
    }

    /// <summary>Takes funds back from the connected account to the platform: all that is left, or amount.</summary>
    private static JsonObject ReverseTransfer(Call c)
    {
        var p = c.P;
        p.Allow("amount", "description", "metadata", "refund_application_fee");
        var transfer = c.Get("transfer", c.Id);
        var currency = transfer["currency"]!.GetValue<string>();
        var left = transfer["amount"]!.Long() - transfer["amount_reversed"]!.Long();
        if (left <= 0) throw StripeError.InvalidState($"Transfer {c.Id} has already been fully reversed.");
        var amount = p.Int("amount") ?? left;
        if (amount < 1) throw StripeError.Invalid("The reversal amount must be positive.", "amount");
        if (amount > left)
            throw StripeError.Invalid($"Reversal amount ({Payments.Money(amount, currency)}) is greater than the amount left on the transfer ({Payments.Money(left, currency)}).", "amount");
        var destination = transfer["destination"]!.GetValue<string>();
        var id = c.State.NewId("trr");
        var txn = BalanceTransaction(c, amount, 0, currency, "transfer_cancel", "transfer_reversal", id, $"Reversal of {c.Id}");
        BalanceTransaction(c, -amount, 0, currency, "payment_refund", "refund", id, $"Reversal of transfer {c.Id}", destination);
        transfer["amount_reversed"] = transfer["amount_reversed"]!.Long() + amount;
        transfer["reversed"] = transfer["amount_reversed"]!.Long() == transfer["amount"]!.Long();
        var reversal = new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer_reversal",
            ["amount"] = amount,
            ["balance_transaction"] = txn["id"]!.DeepClone(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["destination_payment_refund"] = null,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["source_refund"] = null,
            ["transfer"] = c.Id,
        };
        c.State.Add(c.Account, "transfer_reversal", reversal);
        var list = transfer["reversals"]!["data"]!.AsArray();
        list.Insert(0, reversal.DeepClone());
        transfer["reversals"] = Lists.Embedded(list.Select(n => n!.DeepClone()), $"/v1/transfers/{c.Id}/reversals");
        c.Emit("transfer.reversed", transfer);
        return reversal;
    }

    /// <summary>Moves funds from the platform to a connected account (a transfer here, a payment there).</summary>
    public static JsonObject Transfer(Call c, long amount, string currency, string destination, string? sourceTransaction, string? group)
    {
        var id = c.State.NewId("tr");
        var paymentId = c.State.NewId("py");
        var txn = BalanceTransaction(c, -amount, 0, currency, "transfer", "transfer", id, "Transfer");
        BalanceTransaction(c, amount, 0, currency, "payment", "charge", paymentId, $"Transfer from platform ({id})", destination);
        return c.Create("transfer", new JsonObject
        {
            ["id"] = id,
            ["object"] = "transfer",
            ["amount"] = amount,
            ["amount_reversed"] = 0,
            ["balance_transaction"] = txn["id"]!.DeepClone(),
            ["created"] = c.Now,
            ["currency"] = currency,
            ["description"] = null,
            ["destination"] = destination,
            ["destination_payment"] = paymentId,
            ["livemode"] = false,
            ["metadata"] = new JsonObject(),
            ["reversals"] = Lists.Embedded([], $"/v1/transfers/{id}/reversals"),
            ["reversed"] = false,
            ["source_transaction"] = sourceTransaction,
            ["source_type"] = "card",
            ["transfer_group"] = group,
        });
    }
}
