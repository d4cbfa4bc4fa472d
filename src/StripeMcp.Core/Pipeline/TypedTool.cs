using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Configuration;
using StripeMcp.Amounts;
using StripeMcp.Policy;
using StripeMcp.State;
using StripeMcp.Stripe;
using StripeMcp.Tools;

namespace StripeMcp.Pipeline;

/// <summary>
/// A row of the table as every host serves it (<see cref="EngineTool"/>). A call goes, in order: arguments checked against the row
/// → the Connect account (policy) → limits (amounts, currencies, rolling totals) → the human's
/// confirmation where required → dry run, or the row's one Stripe call through the gateway → the whole
/// object, compacted, as text and structuredContent, or Stripe's error. Nothing is sent unless every
/// step before the call passed; every call leaves one audit event.
/// </summary>
internal sealed partial class TypedTool(ToolDefinition definition, ToolServices services) : EngineTool
{
    public ToolDefinition Definition { get; } = definition;

    public override ToolListing Listing { get; } = ListingOf(definition);

    /// <summary>
    /// The tool as listed. Hints are stated only where they differ from the MCP spec's defaults (readOnlyHint
    /// false, destructiveHint true, idempotentHint false, openWorldHint true), and destructive and idempotent
    /// only for tools that write (the spec gives them meaning only there); destructiveHint: true is stated anyway,
    /// for clients that do not apply the defaults. No outputSchema: a result is whichever Stripe object the call
    /// returns, and {"type":"object"} would tell a client nothing (structuredContent needs no schema).
    /// </summary>
    public static ToolListing ListingOf(ToolDefinition d) => new(d.Name, d.Title, d.Description, d.InputSchemaElement,
        d.ReadOnly ? new ToolHints(ReadOnly: true) : new ToolHints(Destructive: d.Destructive, Idempotent: d.Idempotent ? true : null));

    /// <summary>The call with these arguments (the generic API tools pass an operation's own arguments here).</summary>
    public override async Task<ToolAnswer> CallAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken cancellationToken)
    {
        var call = new AuditEvent(Definition.Name, Definition.Permission, args) { Caller = services.Caller };
        try
        {
            return await RunAsync(context, args, call, cancellationToken);
        }
        catch (Exception e) when (context.Human?.Suspends(e) == true)
        {
            throw; // the host suspends the call to ask the human (MCP input-required); the call made again is the one audited
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            call.Detail = call.Sent ? $"cancelled while Stripe held the request; idempotency key {call.IdempotencyKey}" : "cancelled before anything was sent";
            return Finish(call, Outcome.Cancelled, Error(ErrorJson.Cancelled(Definition.Name, call.IdempotencyKey, call.Sent)));
        }
        catch (Exception e)
        {
            // Whatever went wrong inside this server, the agent gets a clear error and the trail one event.
            call.Detail = $"{e.GetType().Name}: {e.Message}";
            return Finish(call, Outcome.InternalError, Error(ErrorJson.Internal(Definition.Name, e, call.IdempotencyKey, call.Sent)));
        }
    }

    private ToolAnswer Finish(AuditEvent call, string outcome, ToolAnswer result)
    {
        services.Audit.Record(call, outcome);
        return result;
    }

    private async Task<ToolAnswer> RunAsync(CallContext context, IReadOnlyDictionary<string, JsonElement> args, AuditEvent call, CancellationToken cancellationToken)
    {
        var (gateway, options, ledger, _, _, _) = services;
        var problems = Definition.Validate(args);
        if (problems.Count > 0) return Finish(call, Outcome.InvalidArguments, Error(ErrorJson.InvalidArguments(Definition.Name, problems)));

        var requested = Definition.PerCallAccount && args.TryGetValue(ToolDefinition.AccountArgument, out var a) ? a.GetString() : null;
        var (account, refused) = ToolPolicy.AccountFor(options, requested);
        call.Account = account ?? requested;
        if (refused is not null) return Finish(call, Outcome.Denied, Error(ErrorJson.InvalidArguments(Definition.Name, [refused])));
        if (ToolPolicy.TargetAccountProblem(Definition, args, options) is { } outside)
            return Finish(call, Outcome.Denied, Error(ErrorJson.Refused("account_not_allowed", $"{Definition.Name}: {outside}; nothing was sent to Stripe.")));
        // Reads are gated by what they return: an expanded object is its own resource's.
        if (!Definition.PathParams.Contains(ApiExpand.Argument) && args.TryGetValue(ApiExpand.Argument, out var expand) && expand.ValueKind == JsonValueKind.Array
            && ApiExpand.Refusal(Definition, expand.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : ""), options) is { } hidden)
            return Finish(call, Outcome.Denied, Error(ErrorJson.Refused("expand_not_allowed", $"{Definition.Name}: {hidden}.")));

        // One idempotency key per call, across Stripe.net's retries: the caller's, or a new one.
        var callerKey = args.TryGetValue(ToolDefinition.IdempotencyArgument, out var k) ? k.GetString() : null;
        var key = Definition.Method == HttpMethod.Post ? callerKey ?? StripeGateway.NewIdempotencyKey() : null;
        call.IdempotencyKey = key;
        // The call's identity: only a retry of this very call (same caller, API key, account, key, arguments) stands for it.
        var fingerprint = Fingerprint(args, account);
        var callId = key is null ? null : ledger.CallId(services.Caller, account, key, fingerprint);

        // Limits: how much this call moves, checked before anything is sent (a lookup may read from Stripe).
        // A retry with the key of a call already held is that call: its amount is not counted again.
        Money? money = null;
        if (options.Limits.Apply(Definition))
        {
            try
            {
                var holes = Definition.PathParams.Where(args.ContainsKey).ToDictionary(p => p, p => args[p]);
                money = await MoneyOperations.MeasureAsync(Definition.Method, Definition.Path, holes, Definition.Fields(args),
                    (kind, id, ct) => LookupAsync(gateway, kind, id, account, ct), cancellationToken);
                if (money is not null && (await ledger.CheckAsync(Definition, money, account, reserve: false, cancellationToken, callId)).Violation is { } early)
                    return Finish(call, Outcome.LimitExceeded, Error(ErrorJson.LimitExceeded(early.Limit, early.LimitValue, early.Asked, early.Message)));
            }
            catch (Exception e) when (LimitRefusal(call, e) is { } refusal)
            {
                return refusal;
            }
        }

        var path = Definition.ResolvePath(args);
        var form = FormEncoder.Encode(Definition.Fields(args));

        // A key the caller passes (or a dry run hands out) is claimed for exactly this call in the state store
        // first, so the same key with other arguments is refused before anything is sent.
        if (key is not null && (callerKey is not null || options.DryRun))
        {
            try
            {
                var claim = await ledger.ClaimKeyAsync(services.Caller, account, key, fingerprint, Definition.Name, cancellationToken);
                if (claim.Conflict)
                {
                    call.Detail = $"idempotency key first used {claim.FirstUsed:u} for other arguments ({claim.OtherTool})";
                    return Finish(call, Outcome.IdempotencyConflict, Error(ErrorJson.Refused("idempotency_conflict",
                        $"{Definition.Name}: idempotency_key \"{key}\" was first used at {claim.FirstUsed:u} for {(claim.OtherTool == Definition.Name ? "this tool with other arguments" : $"another call ({claim.OtherTool})")}; nothing was sent to Stripe. " +
                        "Retry that call with exactly its arguments, or give this call a new key.")));
                }
            }
            catch (Exception e) when (LimitRefusal(call, e) is { } refusal)
            {
                return refusal;
            }
        }

        if (options.DryRun && !Definition.ReadOnly)
            return Finish(call, Outcome.DryRun, Ok(DryRun(path, form, account, args, key)));

        if (ToolPolicy.NeedsConfirmation(Definition, options))
        {
            var summary = Summary(args, money, account);
            Consent answer;
            try
            {
                answer = context.Human is { } human ? await human.AskAsync(summary, $"{services.Caller}\n{fingerprint}", cancellationToken)
                    : new Consent(ConsentKind.Unavailable, "but this host has no way to ask one");
            }
            catch (Exception e) when (e is not OperationCanceledException && context.Human?.Suspends(e) != true)
            {
                call.Detail = $"the confirmation failed: {e.Message}";
                return Finish(call, Outcome.Denied, Error(ErrorJson.Refused("confirmation_failed",
                    $"{Definition.Name} needs a human's confirmation, and the client's answer to the request for it was unusable ({e.GetType().Name}: {e.Message}); nothing was sent to Stripe.")));
            }
            switch (answer.Kind)
            {
                case ConsentKind.Declined or ConsentKind.Cancelled:
                    call.Detail = summary;
                    return Finish(call, Outcome.Declined, Error(ErrorJson.Refused("declined", $"{Definition.Name} was declined by the user; nothing was sent to Stripe. ({summary})")));
                case ConsentKind.Unavailable:
                    return Finish(call, Outcome.Denied, Error(ErrorJson.Refused("confirmation_unavailable",
                        $"{Definition.Name} needs a human's confirmation, {answer.Why}; nothing was sent. {answer.WhatWorks}{AllowWithoutAsking}")));
            }
        }

        // Hold the amount against rolling totals from before the call is sent. It is given back only when
        // Stripe definitely refused (4xx); any other end — success, 5xx, no answer, cancellation, a failure
        // of ours — may have moved money and keeps it counted.
        var reservation = LimitLedger.None;
        if (money is not null)
        {
            try
            {
                var (late, held) = await ledger.CheckAsync(Definition, money, account, reserve: true, cancellationToken, callId);
                if (late is not null) return Finish(call, Outcome.LimitExceeded, Error(ErrorJson.LimitExceeded(late.Limit, late.LimitValue, late.Asked, late.Message)));
                reservation = held;
            }
            catch (Exception e) when (LimitRefusal(call, e) is { } refusal)
            {
                return refusal;
            }
        }

        call.Sent = true;
        var outcome = await gateway.SendAsync(new StripeRequest(Definition.Name, Definition.Method, Definition.Path, path, form, account, StripeKey(key, callerKey)), cancellationToken);
        call.RequestId = outcome.RequestId;
        if (!outcome.Ok)
        {
            await Record(outcome.DefinitelyRefused ? reservation.ReleaseAsync : reservation.UnansweredAsync, call, outcome.DefinitelyRefused ? "giving back" : "marking unanswered");
            return Finish(call, outcome.Outcome, Error(outcome.Json));
        }
        await Record(reservation.SettleAsync, call, "settling");
        if (outcome.Replayed) await Record(reservation.ReleaseIfReplayAsync, call, "giving back the retry's hold"); // nothing moved again
        if (Definition.AnswerProblem(outcome.Body) is { } wrong)
        {
            call.Detail = wrong;
            var answer = new UnusableAnswer(outcome.Status ?? 200, "application/json", UnusableAnswer.ExcerptOf(outcome.Body.GetRawText()), $"answered HTTP {outcome.Status} with {wrong}");
            return Finish(call, Outcome.UpstreamError, Error(ErrorJson.Upstream(answer, options.ApiBase, key, outcome.RequestId)));
        }
        // Not cancellable: the call is made, and what it did to an endpoint of ours must be recorded.
        var kept = services.Keeper is { } keeper ? await keeper.ObserveAsync(Definition, outcome.Body, account, CancellationToken.None) : null;
        if (kept is not null) call.Detail = kept;
        var shaped = ResultShaper.Shape(outcome.Body);
        if (shaped.Length > ResultShaper.MaxResultBytes)
        {
            var id = outcome.Body.TryGetProperty("id", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
            call.Detail = $"Stripe's answer ({shaped.Length:N0} bytes compacted) was too large to return";
            return Finish(call, Outcome.TooLarge, Error(ErrorJson.ResultTooLarge(Definition.Name, shaped.Length, ResultShaper.MaxResultBytes, !Definition.ReadOnly, outcome.RequestId, id)));
        }
        var result = Ok(shaped);
        if (kept is not null) result.Notes.Add(kept);
        if (outcome.Replayed)
        {
            // The object as Stripe stored it for the first call with this key: the call was not applied again.
            call.Detail = "Stripe replayed the first answer to this idempotency key";
            result.Notes.Add($"Replayed: Stripe answered with its stored result of the first call with idempotency key {key}; nothing was applied again.");
            result.Meta = new JsonObject { ["stripe-mcp/replayed"] = true, ["stripe-mcp/idempotency_key"] = key };
        }
        return Finish(call, Outcome.Ok, result);
    }

    /// <summary>
    /// Why a limit could not be checked, as the call's one answer (nothing sent), or null for an exception
    /// that is not about limits. Fail closed: an amount, an account or a total that cannot be established
    /// refuses the call.
    /// </summary>
    private ToolAnswer? LimitRefusal(AuditEvent call, Exception e)
    {
        switch (e)
        {
            case LookupFailed failed:
                call.RequestId = failed.Outcome.RequestId;
                call.Detail = "a lookup for a limit check failed";
                return Finish(call, failed.Outcome.Outcome, Error(failed.Outcome.Json));
            case AmountUnknown or OverflowException:
                call.Detail = e.Message;
                return Finish(call, Outcome.LimitUnverifiable, Error(ErrorJson.Refused("limit_unverifiable",
                    (e is OverflowException ? "the amounts add up to more than a whole number can hold, so the amount cannot be checked against the configured limits" : e.Message) + "; nothing was sent to Stripe.")));
            case StateUnavailable:
                call.Detail = e.Message;
                return Finish(call, Outcome.LimitUnverifiable, Error(ErrorJson.Refused("limit_unverifiable",
                    $"{Definition.Name} needs the state store (it keeps limits' rolling totals and idempotency keys), and the state store that keeps the totals is unavailable ({e.Message}); nothing was sent to Stripe. Calls that need neither, and reads, still work.")));
            default:
                return null;
        }
    }

    /// <summary>
    /// Settles or gives back a reservation once Stripe has answered. Not cancellable: the answer is in. If the
    /// store fails here, the amount stays counted as pending (the safe side) and the audit event says so.
    /// </summary>
    private static async Task Record(Func<CancellationToken, Task> step, AuditEvent call, string what)
    {
        try
        {
            await step(CancellationToken.None);
        }
        catch (StateUnavailable e)
        {
            call.Detail = $"{(call.Detail is null ? "" : call.Detail + "; ")}{what} the limit reservation failed, so its amount stays counted as pending: {e.Message}";
        }
    }

    private static async Task<JsonElement> LookupAsync(StripeGateway gateway, StripeObject kind, string id, string? account, CancellationToken ct)
    {
        var template = $"/v1/{kind.Collection}/{{id}}";
        var query = kind.Expand is { } expand ? "expand%5B%5D=" + Uri.EscapeDataString(expand) : "";
        var outcome = await gateway.SendAsync(new StripeRequest("limit lookup", HttpMethod.Get, template, template.Replace("{id}", Uri.EscapeDataString(id)), query, account, null), ct);
        if (outcome.Outcome is Outcome.UpstreamError or Outcome.TooLarge)
            throw new AmountUnknown($"reading {kind.Type} {id} for the limit check gave an answer that cannot be Stripe's (HTTP {outcome.Status}), so the amount cannot be checked against the configured limits");
        if (!outcome.Ok) throw new LookupFailed(outcome);
        var o = outcome.Body;
        var (type, gotId) = (o.TryGetProperty("object", out var t) ? t : default, o.TryGetProperty("id", out var i) ? i : default);
        if (type.ValueKind != JsonValueKind.String || type.GetString() != kind.Type || gotId.ValueKind != JsonValueKind.String || gotId.GetString() != id)
            throw new AmountUnknown($"reading {kind.Type} {id} for the limit check answered with something else ({(type.ValueKind == JsonValueKind.String ? type.GetString() : "no object type")} {(gotId.ValueKind == JsonValueKind.String ? gotId.GetString() : "without an id")}), so the amount cannot be checked against the configured limits");
        return o;
    }

    /// <summary>How the operator lets this tool run without asking anyone.</summary>
    private string AllowWithoutAsking => $"The operator can allow it without asking with \"confirm\": {{\"{Definition.Name}\": \"off\"}} in the config.";

    /// <summary>One line for the human: what, on which object, how much, for which account.</summary>
    private string Summary(IReadOnlyDictionary<string, JsonElement> args, Money? money, string? account)
    {
        // The objects it touches: its id arguments, and any other argument whose value is an id (a generic operation's body
        // names the payment it refunds or the account it pays as plain strings: payment_intent pi_…, destination acct_…).
        var ids = Definition.Params
            .Where(p => p.Name != ToolDefinition.AccountArgument && args.TryGetValue(p.Name, out var v) && v.ValueKind == JsonValueKind.String
                && (p is IdParam || ObjectId().IsMatch(v.GetString()!)))
            .Select(p => $"{p.Name} {LogText.Safe(args[p.Name].GetString()!, 80)}");
        var amount = money?.ToString() ?? (args.TryGetValue("amount", out var a) && a.ValueKind == JsonValueKind.Number
            ? $"{a.GetInt64():N0}{(args.TryGetValue("currency", out var c) ? $" {c.GetString()}" : "")}" : null);
        return $"{Definition.Title}: {string.Join(", ", ids.DefaultIfEmpty("(new object)"))}{(amount is null ? "" : $", amount {amount}")}, on {(account is null ? "the platform account" : $"connected account {account}")}.";
    }

    private JsonObject DryRun(string path, string form, string? account, IReadOnlyDictionary<string, JsonElement> args, string? key) => new()
    {
        ["dry_run"] = true,
        ["message"] = $"Dry run: {Definition.Name} was checked (arguments, account, limits) and NOT sent. This is the request it would send." +
            (key is null ? "" : $" To send exactly this, call {Definition.Name} with the same arguments and idempotency_key: \"{key}\" (the key is kept for these arguments only)."),
        ["method"] = Definition.Method.Method,
        ["path"] = path,
        ["params"] = JsonSerializer.SerializeToNode(Definition.Fields(args).ToDictionary(f => f.Key, f => f.Value)),
        [Definition.Method == HttpMethod.Post ? "body" : "query"] = form,
        ["account"] = account,
        ["idempotency_key"] = key,
    };

    /// <summary>
    /// The Idempotency-Key sent to Stripe: a caller's own key is made that caller's (a digest of who called before it),
    /// so the same key from two HTTP tokens or OAuth subjects is two calls at Stripe, and one never gets the other's answer.
    /// </summary>
    private string? StripeKey(string? key, string? callerKey)
    {
        if (key is null || callerKey is null || services.Caller is null) return key;
        var tagged = $"{services.Ledger.CallerTag(services.Caller)}-{callerKey}";
        return tagged.Length <= IdParam.MaxLength ? tagged
            : $"{services.Ledger.CallerTag(services.Caller)}-{Convert.ToHexStringLower(TokenPolicy.Hash(callerKey))}";
    }

    /// <summary>What one exact call is: tool, account and every argument but the key, in a canonical order.</summary>
    private string Fingerprint(IReadOnlyDictionary<string, JsonElement> args, string? account)
    {
        var canonical = new JsonObject { ["tool"] = Definition.Name, ["account"] = account };
        foreach (var (name, value) in args.Where(a => a.Key != ToolDefinition.IdempotencyArgument).OrderBy(a => a.Key, StringComparer.Ordinal))
            canonical[name] = JsonNode.Parse(value.GetRawText());
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical.ToJsonString())));
    }

    private static ToolAnswer Ok(JsonObject json) => ToolAnswer.Ok(json);

    private static ToolAnswer Ok(byte[] json) => ToolAnswer.Ok(json);

    private static ToolAnswer Error(string json) => ToolAnswer.Error(json);

    /// <summary>A Stripe object id: a lowercase prefix (pi_, acct_, ba_, src_, cus_ …), then letters and digits.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z]+(_[a-z]+)?_[A-Za-z0-9]{6,}$")]
    private static partial System.Text.RegularExpressions.Regex ObjectId();
}
