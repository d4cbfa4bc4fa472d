using StripeMcp.Configuration;
using StripeMcp.Policy;
using StripeMcp.Stripe;

namespace StripeMcp.Pipeline;

/// <summary>What a tool needs at call time, shared by every tool of one policy (the server's, or an HTTP token's).</summary>
/// <param name="Caller">Who is calling, for the audit trail: the HTTP token's name, or null (stdio, or HTTP without tokens).</param>
/// <param name="Keeper">Keeps the signing secret of a webhook endpoint created for this server's own receiver (HTTP mode); null where there is no receiver.</param>
internal sealed record ToolServices(StripeGateway Gateway, ServerOptions Options, LimitLedger Ledger, AuditTrail Audit, string? Caller = null, Receiver.WebhookSecretKeeper? Keeper = null);
