using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Policy;
using StripeMcp.State;
using StripeMcp.Stripe;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Pipeline;

/// <summary>
/// list_received_events: what Stripe delivered to this server's receiver (POST /webhooks/stripe), newest first,
/// from the state store's event log — no request to Stripe. Gated by events.read like list_events; published in
/// HTTP mode when the receiver takes deliveries (only there can events arrive).
/// </summary>
internal sealed class ReceivedEventsTool(ToolServices services) : EngineTool
{
    public const string Name = Inventory.ReceivedEvents;
    private static readonly string[] Arguments = ["type", "object", "since", "limit"];

    /// <param name="receiving">Whether this server's receiver takes deliveries (it has, or can be given, a secret to verify them with).</param>
    public static IEnumerable<EngineTool> For(ToolServices services, bool receiving)
    {
        if (ToolPolicy.IsEnabled(Inventory.Row(Name), services.Options, receiving)) yield return new ReceivedEventsTool(services);
    }

    public override ToolListing Listing { get; } = new(Name, Inventory.Row(Name).Title,
        "List the events Stripe delivered to this server's webhook receiver (signature checked, each kept once), newest first: what happened, as it arrived. For the account's own event history use list_events.",
        JsonDocument.Parse("""
            {"type":"object","properties":{
              "type":{"type":"string","description":"Only this event type, e.g. invoice.paid."},
              "object":{"type":"string","description":"Only events about this object id (data.object.id), e.g. in_…"},
              "since":{"type":"integer","description":"Only events received at or after this Unix time."},
              "limit":{"type":"integer","minimum":1,"maximum":100,"description":"At most this many (default 10)."}},
             "additionalProperties":false}
            """).RootElement.Clone(),
        new ToolHints(ReadOnly: Inventory.Row(Name).ReadOnly, Idempotent: Inventory.Row(Name).Idempotent, OpenWorld: Inventory.Row(Name).OpenWorld));

    /// <summary>A platform event, or a connected account's this caller may act for (context.accounts).</summary>
    private bool Visible(ReceivedEvent e)
    {
        var account = JsonNode.Parse(e.Json)?["account"] is JsonValue v && v.TryGetValue(out string? a) ? a : null;
        return account is null || services.Options.AccountAllowList is { } allowed && (allowed.Contains("*") || allowed.Contains(account));
    }

    public override async Task<ToolAnswer> CallAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken ct)
    {
        var audit = new AuditEvent(Name, "events.read", args) { Caller = services.Caller };
        var problems = args.Keys.Where(k => !Arguments.Contains(k)).Select(k => $"{k}: unknown argument; allowed: {string.Join(", ", Arguments)}").ToList();
        string? Text(string key)
        {
            if (!args.TryGetValue(key, out var v)) return null;
            if (v.ValueKind == JsonValueKind.String && Param.Text(v) is { Length: > 0 and <= 255 } s) return s;
            problems.Add($"{key}: must be a non-empty string of at most 255 characters");
            return null;
        }
        long? Whole(string key, long min, long max)
        {
            if (!args.TryGetValue(key, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= min && n <= max) return n;
            problems.Add($"{key}: must be a whole number from {min} to {max}");
            return null;
        }
        var (type, obj) = (Text("type"), Text("object"));
        var since = Whole("since", 0, 253402300799);
        var limit = (int)(Whole("limit", 1, 100) ?? 10);
        if (problems.Count > 0)
        {
            services.Audit.Record(audit, Outcome.InvalidArguments);
            return ToolAnswer.Error(ErrorJson.InvalidArguments(Name, problems));
        }
        try
        {
            var kept = await services.Ledger.Store.ReceivedEventsAsync(type, obj, since is { } s ? DateTimeOffset.FromUnixTimeSeconds(s) : null, limit, ct);
            var events = kept.Where(Visible).ToList();
            services.Audit.Record(audit, Outcome.Ok);
            return ToolAnswer.Ok(new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray([.. events.Select(e =>
                {
                    var node = JsonNode.Parse(e.Json)!.AsObject();
                    node["received"] = e.Received.ToUnixTimeSeconds();
                    return (JsonNode)node;
                })]),
                ["has_more"] = kept.Count == limit,
            });
        }
        catch (StateUnavailable e)
        {
            services.Audit.Record(audit, Outcome.InternalError);
            return ToolAnswer.Error(ErrorJson.Refused("state_unavailable", $"{Name}: the event log could not be read: {e.Message}"));
        }
    }
}
