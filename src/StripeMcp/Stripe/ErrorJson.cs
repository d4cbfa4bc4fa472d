using System.Text.Json.Nodes;
using global::Stripe;

namespace StripeMcp.Stripe;

/// <summary>
/// Failures as the agent reads them: one JSON object {"error": {...}} with Stripe's own fields
/// (type, code, decline_code, param, message, doc_url) and the request id, or our own for
/// failures that never reached Stripe. StripeTool redacts secrets from the whole of it before the agent sees it.
/// </summary>
public static class ErrorJson
{
    public static string FromStripe(StripeException e)
    {
        var err = e.StripeError;
        var error = new JsonObject
        {
            ["type"] = err?.Type ?? "api_error",
            ["code"] = err?.Code,
            ["decline_code"] = err?.DeclineCode,
            ["param"] = err?.Param,
            ["message"] = err?.Message ?? e.Message,
            ["doc_url"] = err?.DocUrl,
            ["request_id"] = e.StripeResponse?.RequestId,
            ["http_status"] = (int)e.HttpStatusCode,
        };
        return Wrap(error);
    }

    public static string Network(Exception e, string apiBase, int retries, string? idempotencyKey)
    {
        var timedOut = e is TaskCanceledException;
        var error = new JsonObject
        {
            ["type"] = "network_error",
            ["message"] =
                $"Could not reach Stripe at {apiBase} ({(timedOut ? "the request timed out" : e.Message)}), after {retries} automatic retries. " +
                (idempotencyKey is null
                    ? "Nothing was changed; try again later."
                    : "The request may or may not have been applied: check (e.g. with a list tool) before trying again."),
            ["api_base"] = apiBase,
            ["idempotency_key"] = idempotencyKey,
        };
        return Wrap(error);
    }

    /// <summary>Our own argument checks: nothing was sent.</summary>
    public static string InvalidArguments(string tool, IReadOnlyList<string> problems) => Wrap(new JsonObject
    {
        ["type"] = "invalid_arguments",
        ["message"] = $"Invalid arguments for {tool}; nothing was sent to Stripe. " + string.Join("; ", problems),
        ["problems"] = new JsonArray(problems.Select(p => (JsonNode)p).ToArray()),
    });

    /// <summary>A limit refused the call: which limit, its value, what was asked. Nothing was sent.</summary>
    public static string LimitExceeded(Policy.LimitViolation v) => Wrap(new JsonObject
    {
        ["type"] = "limit_exceeded",
        ["limit"] = v.Limit,
        ["limit_value"] = v.LimitValue,
        ["asked"] = new JsonObject { ["amount"] = v.Asked.Amount, ["currency"] = v.Asked.Currency },
        ["message"] = v.Message + "; nothing was sent to Stripe.",
    });

    /// <summary>The call was stopped by the safety layer (declined by the user, no way to ask). Nothing was sent.</summary>
    public static string Refused(string type, string message) => Wrap(new JsonObject { ["type"] = type, ["message"] = message });

    private static string Wrap(JsonObject error)
    {
        foreach (var key in error.Where(p => p.Value is null).Select(p => p.Key).ToList()) error.Remove(key);
        return new JsonObject { ["error"] = error }.ToJsonString();
    }
}
