using System.Text.Json.Nodes;
using global::Stripe;

namespace StripeMcp.Stripe;

/// <summary>
/// Failures as the agent reads them: one JSON object {"error": {...}} with Stripe's own fields
/// (type, code, decline_code, param, message, doc_url) and the request id, or our own for
/// failures that never reached Stripe. StripeTool redacts secrets from the whole of it before the agent sees it.
/// </summary>
internal static class ErrorJson
{
    /// <param name="unknownOutcomeKey">A 5xx's idempotency key: Stripe may have applied it, so the agent gets the key to retry with.</param>
    public static string FromStripe(StripeException e, string? unknownOutcomeKey = null)
    {
        var err = e.StripeError;
        var error = new JsonObject
        {
            ["type"] = err?.Type ?? "api_error",
            ["code"] = err?.Code,
            ["decline_code"] = err?.DeclineCode,
            ["param"] = err?.Param,
            // Stripe's messages are short; a stand-in's HTML error page is not, and is cut.
            ["message"] = Cut(err?.Message ?? e.Message, 1000) + (unknownOutcomeKey is null ? "" : " " + MayHaveLanded(unknownOutcomeKey)),
            ["doc_url"] = err?.DocUrl,
            ["request_id"] = e.StripeResponse?.RequestId,
            ["http_status"] = (int)e.HttpStatusCode,
            ["idempotency_key"] = unknownOutcomeKey,
        };
        return Wrap(error);
    }

    private static string Cut(string s, int max) => s.Length > max ? s[..max] + "… (cut)" : s;

    /// <summary>What the agent must know when a POST's outcome is unknown.</summary>
    private static string MayHaveLanded(string? idempotencyKey) => idempotencyKey is null
        ? "Nothing was changed (it was a read); try again later."
        : $"The request may or may not have been applied. To retry safely, call the tool again with the same arguments and idempotency_key: \"{idempotencyKey}\": Stripe then applies it at most once, and answers with the first result if it was applied.";

    /// <param name="reason">Why no answer came: the connection error, or the timeout.</param>
    public static string Network(string reason, string apiBase, int retries, string? idempotencyKey) => Wrap(new JsonObject
    {
        ["type"] = "network_error",
        ["message"] = $"Could not reach Stripe at {apiBase} ({reason}), after {retries} automatic retries. " + MayHaveLanded(idempotencyKey),
        ["api_base"] = apiBase,
        ["idempotency_key"] = idempotencyKey,
    });

    /// <summary>The API base answered something that cannot be Stripe's answer (see <see cref="UnusableAnswer"/>).</summary>
    public static string Upstream(UnusableAnswer e, string apiBase, string? idempotencyKey, string? requestId) => Wrap(new JsonObject
    {
        ["type"] = e.TooLarge ? "result_too_large" : "upstream_error",
        ["message"] = $"The Stripe API at {apiBase} {e.Message}. " +
            (e.TooLarge ? "Ask for less: a smaller limit, fewer expansions. " : "This is not an answer Stripe gives: check --stripe-api-base and what is between this server and Stripe. ") +
            MayHaveLanded(idempotencyKey),
        ["api_base"] = apiBase,
        ["http_status"] = e.Status,
        ["content_type"] = e.ContentType,
        ["excerpt"] = e.Excerpt.Length == 0 ? null : e.Excerpt,
        ["request_id"] = requestId,
        ["idempotency_key"] = idempotencyKey,
    });

    /// <summary>Stripe answered, but the result is too large to hand to the agent.</summary>
    public static string ResultTooLarge(string tool, long bytes, long max, bool applied, string? requestId, string? objectId) => Wrap(new JsonObject
    {
        ["type"] = "result_too_large",
        ["message"] = $"{tool}: Stripe's answer is {bytes:N0} bytes once compacted, over the {max:N0} a tool result may carry. " +
            (applied
                ? $"Stripe DID apply the call{(objectId is null ? "" : $" ({objectId})")}: do not repeat it; retrieve the object with a read tool instead."
                : "Ask for less: a smaller limit (e.g. 10), or narrower filters, then page with starting_after."),
        ["request_id"] = requestId,
        ["id"] = objectId,
    });

    /// <summary>The client cancelled the call.</summary>
    public static string Cancelled(string tool, string? idempotencyKey, bool sent) => Wrap(new JsonObject
    {
        ["type"] = "cancelled",
        ["message"] = $"{tool} was cancelled by the client " + (sent
            ? "while Stripe held the request. " + MayHaveLanded(idempotencyKey)
            : "before anything was sent to Stripe."),
        ["idempotency_key"] = sent ? idempotencyKey : null,
    });

    /// <summary>A failure inside this server. Says whether the request had been sent.</summary>
    public static string Internal(string tool, Exception e, string? idempotencyKey, bool sent) => Wrap(new JsonObject
    {
        ["type"] = "internal_error",
        ["message"] = $"{tool} failed inside stripe-mcp ({e.GetType().Name}: {Cut(e.Message, 300)}). " + (sent
            ? "The request had been sent to Stripe. " + MayHaveLanded(idempotencyKey)
            : "Nothing was sent to Stripe."),
        ["idempotency_key"] = sent ? idempotencyKey : null,
    });

    /// <summary>Our own argument checks: nothing was sent.</summary>
    public static string InvalidArguments(string tool, IReadOnlyList<string> problems) => Wrap(new JsonObject
    {
        ["type"] = "invalid_arguments",
        ["message"] = $"Invalid arguments for {tool}; nothing was sent to Stripe. " + string.Join("; ", problems),
        ["problems"] = new JsonArray(problems.Select(p => (JsonNode)p).ToArray()),
    });

    /// <summary>A limit refused the call: which limit, its value, what was asked. Nothing was sent.</summary>
    public static string LimitExceeded(string limit, long? limitValue, Amounts.Money asked, string message) => Wrap(new JsonObject
    {
        ["type"] = "limit_exceeded",
        ["limit"] = limit,
        ["limit_value"] = limitValue,
        ["asked"] = new JsonObject { ["amount"] = asked.Amount, ["currency"] = asked.Currency },
        ["message"] = message + "; nothing was sent to Stripe.",
    });

    /// <summary>The call was stopped by the safety layer (declined by the user, no way to ask). Nothing was sent.</summary>
    public static string Refused(string type, string message) => Wrap(new JsonObject { ["type"] = type, ["message"] = message });

    private static string Wrap(JsonObject error)
    {
        foreach (var key in error.Where(p => p.Value is null).Select(p => p.Key).ToList()) error.Remove(key);
        return new JsonObject { ["error"] = error }.ToJsonString(PlainJson.Options);
    }
}
