using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Tools;
using StripeMcp.Policy;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Mcp;

/// <summary>
/// The engine's confirmation port over MCP: asks the human through the input-required route (MRTR) where the
/// protocol has it (it works on stateless HTTP too), else through elicitation, else says why it cannot.
/// </summary>
/// <param name="inputResponses">The answers a client sent with a call made again after an input-required result.</param>
internal sealed class Confirmation(McpServer server, IDictionary<string, InputResponse>? inputResponses) : IHumanConfirmation
{
    private const string Key = "confirm";

    /// <summary>The first protocol revision with input-required results (MRTR).</summary>
    private const string MrtrProtocol = "2026-07-28";

    public static Confirmation For(RequestContext<CallToolRequestParams> request) => new(request.Server, request.Params?.InputResponses);

    public bool Suspends(Exception e) => e is InputRequiredException;

    public async Task<Consent> AskAsync(string summary, CancellationToken ct)
    {
        var question = new ElicitRequestParams
        {
            Message = $"Allow this Stripe call? {summary}",
            RequestedSchema = new ElicitRequestParams.RequestSchema { Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>() },
        };
        if (inputResponses is { } responses && responses.TryGetValue(Key, out var response))
            return Map(response.Deserialize(InputResponse.ElicitResultJsonTypeInfo)?.Action);
        if (server.ClientCapabilities is { Elicitation: null }) return CannotAsk;
        // On an older protocol the SDK would emulate the input-required route by asking the client itself,
        // outside this tool, so a failed answer would never reach us; ask directly there instead.
        if (server.IsMrtrSupported && string.CompareOrdinal(server.NegotiatedProtocolVersion ?? "", MrtrProtocol) >= 0)
            throw new InputRequiredException(new Dictionary<string, InputRequest> { [Key] = InputRequest.ForElicitation(question) }, Key);
        // Only a stateless HTTP server has no client capabilities once initialized: the initialize request
        // went to another server (and perhaps another instance), and it cannot send the client a request.
        if (server.ClientCapabilities is null)
            return new Consent(ConsentKind.Unavailable,
                $"and this server cannot ask for it: it serves stateless HTTP, which cannot send the client a request, and the client's protocol ({server.NegotiatedProtocolVersion ?? "unknown"}) predates input-required results",
                "What works: a client on MCP 2026-07-28 or later (asked through input-required results), or the server run with --stateful (asked through elicitation). ");
        if (server.ClientCapabilities.Elicitation is null) return CannotAsk;
        var result = await server.ElicitAsync(question, ct);
        return Map(result.Action);
    }

    private static readonly Consent CannotAsk = new(ConsentKind.Unavailable, "but this client cannot ask (it declared no elicitation support)");

    private static Consent Map(string? action) => action switch
    {
        "accept" => Consent.Accepted,
        "decline" => Consent.Declined,
        _ => Consent.Cancelled,
    };
}
