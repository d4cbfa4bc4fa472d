using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Policy;

/// <summary>
/// Asks the human before a call acts: through the input-required route (MRTR) where the protocol has it
/// (it works on stateless HTTP too), else through elicitation, else not at all.
/// </summary>
public static class Confirmation
{
    /// <summary>
    /// CannotAsk: the client has no elicitation. Stateless: the client might, but a stateless HTTP server
    /// cannot send it a request (the answer could reach another instance) and its protocol predates MRTR.
    /// </summary>
    public enum Answer { Accepted, Declined, Cancelled, CannotAsk, Stateless }

    private const string Key = "confirm";

    /// <summary>The first protocol revision with input-required results (MRTR).</summary>
    private const string MrtrProtocol = "2026-07-28";

    public static async ValueTask<Answer> AskAsync(RequestContext<CallToolRequestParams> request, string summary, CancellationToken ct)
    {
        var server = request.Server;
        var question = new ElicitRequestParams
        {
            Message = $"Allow this Stripe call? {summary}",
            RequestedSchema = new ElicitRequestParams.RequestSchema { Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>() },
        };
        if (request.Params?.InputResponses is { } responses && responses.TryGetValue(Key, out var response))
            return Map(response.Deserialize(InputResponse.ElicitResultJsonTypeInfo)?.Action);
        if (server.ClientCapabilities is { Elicitation: null }) return Answer.CannotAsk;
        // On an older protocol the SDK would emulate the input-required route by asking the client itself,
        // outside this tool, so a failed answer would never reach us; ask directly there instead.
        if (server.IsMrtrSupported && string.CompareOrdinal(server.NegotiatedProtocolVersion ?? "", MrtrProtocol) >= 0)
            throw new InputRequiredException(new Dictionary<string, InputRequest> { [Key] = InputRequest.ForElicitation(question) }, Key);
        // Only a stateless HTTP server has no client capabilities once initialized: the initialize request
        // went to another server (and perhaps another instance).
        if (server.ClientCapabilities is null) return Answer.Stateless;
        if (server.ClientCapabilities.Elicitation is null) return Answer.CannotAsk;
        var result = await server.ElicitAsync(question, ct);
        return Map(result.Action);
    }

    private static Answer Map(string? action) => action switch
    {
        "accept" => Answer.Accepted,
        "decline" => Answer.Declined,
        _ => Answer.Cancelled,
    };
}
