using StripeMcp.Configuration;
using StripeMcp.Policy;

namespace StripeMcp.Pipeline;

/// <summary>
/// What holds for every tool, said once to the model rather than in each tool's description and schema: the accounts
/// it acts on, amounts, ids, pagination, search syntax, metadata, errors and idempotency keys. Every host hands it on
/// (the MCP server as its instructions).
/// </summary>
internal static class Instructions
{
    private static string AccountsSentence(ServerOptions o) => o.AccountAllowList is { } allowed
        ? $"Tools for a Stripe platform and its connected accounts: tools that take an `account` argument act on behalf of {(allowed.Contains("*") ? "any connected account" : string.Join(", ", allowed.Order(StringComparer.Ordinal).Take(20)) + (allowed.Count > 20 ? $" and {allowed.Count - 20} more" : ""))} named there; without it, they act {(o.Account is null ? "on the platform account itself" : $"on behalf of {o.Account}")}. "
        : "Tools for one Stripe account" + (o.Account is null ? "" : $" (acting on behalf of connected account {o.Account})") + ". ";

    /// <summary>
    /// How to work with the generic tools, when the server publishes them: what holds for all four is said here once, not
    /// in each one's description. In compact mode they are the only way to the account.
    /// </summary>
    private static string GenericSentence(ServerOptions o)
    {
        var (read, write) = ToolPolicy.GenericPath(o);
        if (!read && !write) return "";
        return (o.Compact ? "Every operation goes through the generic tools: find it" : "For an operation no typed tool makes (prefer the typed tool stripe_api_search names in typed_tool): find it") +
            " with stripe_api_search (what you want to do, in a few words), check its parameters with stripe_api_details, then call it with stripe_api_read (GET) or stripe_api_write (POST, DELETE): its id in `operation`, its parameters by Stripe's names in `arguments`. " +
            "stripe_api_write checks a call as a typed tool does (limits, confirmation, dry run, idempotency_key). ";
    }

    public static string For(ServerOptions o) =>
        (o.Sandbox ? "Tools for a local Stripe sandbox (test mode, demo data, nothing is real). " : "") +
        AccountsSentence(o) +
        GenericSentence(o) +
        "Amounts are integers in the currency's smallest unit (1000 = $10.00 usd; 1000 = ¥1000 jpy); currencies are lowercase ISO codes (usd). " +
        "An id argument's pattern is its prefix (^cus_: a customer id cus_...). Arguments are checked before anything is sent; a refusal names each argument and its rule (lengths, id form). " +
        "Results are whole Stripe objects with null and empty fields left out. " +
        "List tools: newest first; limit 1-100 (default 10); when has_more is true, pass next_starting_after as starting_after for the next page (ending_before: a page's first id, for the page before). " +
        "Search tools: results may lag writes by a few seconds; when has_more is true, pass next_page as page. Query language: field:\"value\" (exact), field~\"text\" (contains, 3+ characters), numbers with > < >= <=, metadata['key']:'value', a leading - negates; join clauses with AND or OR (not both). " +
        "metadata: your own string key-value pairs on the object (e.g. an order id): up to 50 keys of up to 40 characters, values up to 500; an update merges keys, and \"\" removes one. " +
        "Failed calls return Stripe's error (type, code, decline_code, param, message, request_id): read it before retrying. " +
        "Tools that create or change take idempotency_key (e.g. a UUID): Stripe applies a key with the same arguments once and answers a retry with the first result (marked as a replay); the same key with other arguments is refused. After a timeout or a dry run, retry with the key the answer gives.";
}
