using System.Security.Cryptography;
using System.Text;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Tools;

namespace StripeMcp.Mcp;

/// <summary>
/// The engine's confirmation port over MCP: asks the human through the input-required route (MRTR, MCP 2026-07-28)
/// where the protocol has it (it works on stateless HTTP too), else through elicitation, else says why it cannot.
/// An answer carried in a call made again (inputResponses) counts only on MRTR, and only with the request state this
/// server sealed for this very call (<see cref="ConfirmationSeal"/>): a client cannot answer a question it was not
/// asked, nor reuse one call's answer for another.
/// </summary>
/// <param name="call">The tools/call being confirmed (its inputResponses and requestState), or null for a read made on
/// behalf of a resource or a completion, which cannot be suspended and asked again.</param>
/// <param name="seal">Seals and opens the request state of a tools/call's questions; null with no call.</param>
internal sealed class Confirmation(McpServer server, CallToolRequestParams? call, ConfirmationSeal? seal) : IHumanConfirmation
{
    private const string Key = "confirm";

    /// <summary>The first protocol revision with input-required results (MRTR).</summary>
    private const string MrtrProtocol = "2026-07-28";

    public bool Suspends(Exception e) => e is InputRequiredException;

    public async Task<Consent> AskAsync(string summary, string binding, CancellationToken ct)
    {
        var question = new ElicitRequestParams
        {
            Message = $"Allow this Stripe call? {summary}",
            RequestedSchema = new ElicitRequestParams.RequestSchema { Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>() },
        };
        // On an older protocol the SDK would emulate the input-required route by asking the client itself,
        // outside this tool, so a failed answer would never reach us; ask directly there instead.
        var mrtr = server.IsMrtrSupported && string.CompareOrdinal(server.NegotiatedProtocolVersion ?? "", MrtrProtocol) >= 0;
        if (mrtr && call?.InputResponses is { } responses && responses.TryGetValue(Key, out var response) && seal?.Opens(call.RequestState, binding) == true)
            return Map(response.Deserialize(InputResponse.ElicitResultJsonTypeInfo)?.Action);
        if (server.ClientCapabilities is { Elicitation: null }) return CannotAsk;
        if (mrtr)
        {
            if (call is null || seal is null)
                return new Consent(ConsentKind.Unavailable, "and a resource read or a completion cannot ask for it (it answers in one request)",
                    "Call the tool itself to be asked. ");
            throw new InputRequiredException(new Dictionary<string, InputRequest> { [Key] = InputRequest.ForElicitation(question) }, seal.Seal(binding));
        }
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

/// <summary>
/// The request state of an input-required confirmation: the call it asks about (caller, tool, account, arguments) and
/// when it lapses, under an HMAC keyed by a digest of the Stripe API key, so every instance sharing the key (stateless
/// HTTP behind a load balancer) opens what another sealed, and no client can forge one.
/// </summary>
internal sealed class ConfirmationSeal(Func<byte[]> key, TimeProvider? clock = null)
{
    // Derived when a first question is sealed or opened: a server that never asks loads no crypto at start-up.
    private readonly Lazy<byte[]> _key = new(key);
    /// <summary>How long a question stays answerable.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public static ConfirmationSeal For(string? apiKey) =>
        new(() => SHA256.HashData(Encoding.UTF8.GetBytes("stripe-mcp confirmation seal\n" + (apiKey ?? ""))));

    public string Seal(string binding)
    {
        var until = _clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        return $"{until}.{Mac(until, binding)}";
    }

    public bool Opens(string? state, string binding)
    {
        if (state is null || state.Split('.') is not [var untilText, var mac] || !long.TryParse(untilText, out var until)) return false;
        if (until < _clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(mac), Encoding.ASCII.GetBytes(Mac(until, binding)));
    }

    private string Mac(long until, string binding) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key.Value, Encoding.UTF8.GetBytes($"{until}\n{binding}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
