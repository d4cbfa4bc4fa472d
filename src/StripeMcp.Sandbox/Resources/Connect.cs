using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>The account, connected accounts, account links, transfers, payouts, balance, balance transactions, events.</summary>
internal static class Connect
{
    public const string PlatformId = "acct_1SandboxPlatform0";

    public static void Register(Router r)
    {
        r.Get("/v1/account", c => c.Account == SandboxState.Platform ? Platform(c) : c.State.Get(SandboxState.Platform, "account", c.Account));

        r.Post("/v1/accounts", CreateAccount)
         .Get("/v1/accounts/{id}", c => OnPlatform(c).State.Get(SandboxState.Platform, "account", c.Id))
         .Get("/v1/accounts", c =>
         {
             c.P.Allow(Lists.PagingParams);
             return Lists.Page(OnPlatform(c), c.State.List(SandboxState.Platform, "account"));
         });

        r.Post("/v1/account_links", c =>
        {
            var p = OnPlatform(c).P;
            p.Allow("account", "type", "refresh_url", "return_url", "collect", "collection_options");
            var account = c.State.Get(SandboxState.Platform, "account", p.Req("account"), "account")["id"]!.GetValue<string>();
            p.Enum("type", "account_onboarding", "account_update");
            if (p.Str("type") is null) throw StripeError.ParamMissing("type");
            return new JsonObject
            {
                ["object"] = "account_link",
                ["created"] = c.Now,
                ["expires_at"] = c.Now + 300,
                ["url"] = $"https://connect.stripe.com/setup/e/{account}/{c.State.NewId("x", 12)[2..]}",
            };
        });

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

        r.Post("/v1/payouts", c =>
        {
            var p = c.P;
            p.Allow("amount", "currency", "description", "metadata", "method", "statement_descriptor", "destination", "source_type");
            var amount = p.ReqInt("amount");
            var currency = Core.Currency(p);
            if (Available(c, currency) < amount)
                throw StripeError.Invalid("You have insufficient funds in your Stripe account for this transfer.", "amount", "balance_insufficient");
            var id = c.State.NewId("po");
            var txn = BalanceTransaction(c, -amount, 0, currency, "payout", "payout", id, "STRIPE PAYOUT");
            return c.Create("payout", new JsonObject
            {
                ["id"] = id,
                ["object"] = "payout",
                ["amount"] = amount,
                ["application_fee"] = null,
                ["application_fee_amount"] = null,
                ["arrival_date"] = c.Now + 2 * 86400,
                ["automatic"] = false,
                ["balance_transaction"] = txn["id"]!.DeepClone(),
                ["created"] = c.Now,
                ["currency"] = currency,
                ["description"] = p.Str("description"),
                ["destination"] = "ba_1SandboxBankAccount",
                ["failure_balance_transaction"] = null,
                ["failure_code"] = null,
                ["failure_message"] = null,
                ["livemode"] = false,
                ["metadata"] = p.Metadata() ?? new JsonObject(),
                ["method"] = p.Enum("method", "standard", "instant") ?? "standard",
                ["original_payout"] = null,
                ["reconciliation_status"] = "not_applicable",
                ["reversed_by"] = null,
                ["source_type"] = "card",
                ["statement_descriptor"] = p.Str("statement_descriptor"),
                ["status"] = "pending", // until it arrives; pending payouts can be canceled
                ["type"] = "bank_account",
            });
        })
         .Get("/v1/payouts/{id}", c => c.Get("payout", c.Id))
         .Post("/v1/payouts/{id}", c =>
         {
             c.P.Allow("metadata");
             var payout = c.Get("payout", c.Id);
             if (c.P.Metadata() is { } md) Core.Merge(payout, md);
             c.Emit("payout.updated", payout);
             return payout;
         })
         .Post("/v1/payouts/{id}/cancel", c =>
         {
             c.P.Allow();
             var payout = c.Get("payout", c.Id);
             if (Lists.Text(payout["status"]) != "pending")
                 throw StripeError.InvalidState($"Payouts can only be canceled while they are pending; {c.Id} is {payout["status"]}.");
             var amount = payout["amount"]!.Long();
             var txn = BalanceTransaction(c, amount, 0, payout["currency"]!.GetValue<string>(), "payout_cancel", "payout_reversal", c.Id, "STRIPE PAYOUT CANCELED");
             payout["status"] = "canceled";
             payout["failure_balance_transaction"] = txn["id"]!.DeepClone();
             c.Emit("payout.canceled", payout);
             return payout;
         })
         .Get("/v1/payouts", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "status", "arrival_date", "destination"]);
             return Lists.Page(c, c.All("payout").Where(c.P, "status", "destination"));
         });

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

        r.Get("/v1/balance_transactions/{id}", c => c.Get("balance_transaction", c.Id))
         .Get("/v1/balance_transactions", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "type", "source", "currency", "payout"]);
             return Lists.Page(c, c.All("balance_transaction").Where(c.P, "type", "source", "currency"));
         });

        r.Get("/v1/events/{id}", c => c.Get("event", c.Id))
         .Get("/v1/events", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "type", "types", "delivery_success"]);
             var items = c.All("event");
             if (c.P.Str("type") is { } type)
                 items = type.EndsWith(".*", StringComparison.Ordinal)
                     ? items.Where(e => e["type"]!.GetValue<string>().StartsWith(type[..^1], StringComparison.Ordinal))
                     : items.Where(e => e["type"]!.GetValue<string>() == type);
             var types = c.P.Strings("types").ToHashSet();
             if (types.Count > 0) items = items.Where(e => types.Contains(e["type"]!.GetValue<string>()));
             return Lists.Page(c, items);
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

    private static Call OnPlatform(Call c) => c.Account == SandboxState.Platform ? c
        : throw new StripeError(403, "invalid_request_error", "Only the platform can manage connected accounts; this request was made with a Stripe-Account header.", "platform_api_key_expired");

    private static JsonObject Funds(string currency, long amount) =>
        new() { ["amount"] = amount, ["currency"] = currency, ["source_types"] = new JsonObject { ["card"] = amount } };

    public static long Available(Call c, string currency) =>
        c.All("balance_transaction").Where(t => t["currency"]!.GetValue<string>() == currency).Sum(t => t["net"]!.Long());

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

    private static JsonObject CreateAccount(Call c)
    {
        var p = OnPlatform(c).P;
        p.Allow("type", "country", "email", "business_type", "capabilities", "business_profile", "metadata", "controller", "default_currency", "tos_acceptance", "individual", "company");
        var type = p.Enum("type", "express", "standard", "custom");
        var controller = p.Obj("controller");
        if (type is null && controller is null) type = "standard";
        var requested = p.Obj("capabilities")?.Node.Where(kv => kv.Value?["requested"]?.GetValue<string>() == "true").Select(kv => kv.Key).ToList() ?? [];
        if (type is "express" or "custom" && requested.Count == 0)
            throw StripeError.Invalid("You must request capabilities (e.g. capabilities[transfers][requested]=true) for express and custom accounts.", "capabilities");
        var capabilities = new JsonObject();
        foreach (var cap in requested) capabilities[cap] = "active";
        var profile = p.Obj("business_profile");
        var id = c.State.NewId("acct", 16);
        var due = new JsonArray("external_account", "tos_acceptance.date", "tos_acceptance.ip");
        var account = new JsonObject
        {
            ["id"] = id,
            ["object"] = "account",
            ["business_profile"] = new JsonObject
            {
                ["annual_revenue"] = null, ["estimated_worker_count"] = null, ["mcc"] = profile?.Str("mcc"), ["name"] = profile?.Str("name"),
                ["product_description"] = profile?.Str("product_description"), ["support_address"] = null, ["support_email"] = null,
                ["support_phone"] = null, ["support_url"] = null, ["url"] = profile?.Str("url"),
            },
            ["business_type"] = p.Enum("business_type", "individual", "company", "non_profit", "government_entity"),
            ["capabilities"] = capabilities,
            ["charges_enabled"] = requested.Contains("card_payments"),
            ["country"] = (p.Str("country") ?? "US").ToUpperInvariant(),
            ["created"] = c.Now,
            ["default_currency"] = p.Str("default_currency") ?? "usd",
            ["details_submitted"] = false,
            ["email"] = p.Str("email"),
            ["external_accounts"] = Lists.Embedded([], $"/v1/accounts/{id}/external_accounts"),
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["payouts_enabled"] = false,
            ["requirements"] = new JsonObject
            {
                ["alternatives"] = new JsonArray(), ["current_deadline"] = null, ["currently_due"] = due.DeepClone(),
                ["disabled_reason"] = "requirements.past_due", ["errors"] = new JsonArray(), ["eventually_due"] = due.DeepClone(),
                ["past_due"] = due.DeepClone(), ["pending_verification"] = new JsonArray(),
            },
            ["tos_acceptance"] = new JsonObject { ["date"] = null, ["ip"] = null, ["user_agent"] = null },
            ["type"] = type ?? "none",
        };
        c.State.Add(SandboxState.Platform, "account", account);
        c.Emit("account.updated", account);
        return account;
    }

    private static JsonObject Platform(Call c) => new()
    {
        ["id"] = c.State.PlatformAccount,
        ["object"] = "account",
        ["business_profile"] = new JsonObject
        {
            ["annual_revenue"] = null, ["estimated_worker_count"] = null, ["mcc"] = "5734", ["name"] = "StripeMcp Sandbox",
            ["product_description"] = "A local stand-in for Stripe, for agents and tests.", ["support_address"] = null,
            ["support_email"] = "support@example.com", ["support_phone"] = null, ["support_url"] = null, ["url"] = "https://example.com",
        },
        ["business_type"] = "company",
        ["capabilities"] = new JsonObject { ["card_payments"] = "active", ["transfers"] = "active" },
        ["charges_enabled"] = true,
        ["country"] = "US",
        ["created"] = 1_700_000_000,
        ["default_currency"] = "usd",
        ["details_submitted"] = true,
        ["email"] = "owner@example.com",
        ["metadata"] = new JsonObject(),
        ["payouts_enabled"] = true,
        ["type"] = "standard",
    };
}
