namespace StripeMcp.State;

/// <summary>
/// One amount to hold against one rolling total: rule <see cref="Rule"/>'s cap for <see cref="Currency"/>
/// over <see cref="Window"/>.
/// </summary>
internal sealed record Hold(string Rule, string Currency, long Amount, TimeSpan Window, long MaxTotal);

/// <summary>What a reservation attempt found: the first hold over its cap (with what was already used), or the reservation's id.</summary>
/// <param name="Reused">A retry of a call held already: <see cref="Id"/> is the retry's own hold, to give back if Stripe replays.</param>
internal sealed record ReserveResult(Hold? Over, long Used, string? Id, bool Reused = false);

/// <summary>
/// What an idempotency key was first used for: <see cref="OtherTool"/> is null when it is new here or was
/// used for exactly this call (same tool, arguments and account), else the tool it was used for.
/// </summary>
internal sealed record KeyClaim(bool Conflict, string? OtherTool, DateTimeOffset FirstUsed)
{
    /// <summary>How long every store remembers a key's first use.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a reservation stands for a retry of its call: Stripe replays a key's first answer for at least
    /// 24 hours, and may apply the same key again after that, so a later retry is counted again.
    /// </summary>
    public static readonly TimeSpan Replayable = TimeSpan.FromHours(24);
}

/// <summary>A reservation whose call never reported back (the server died mid-call, or Stripe's answer was lost).</summary>
internal sealed record Uncertain(string Id, string Scope, string Rule, string Currency, long Amount, DateTimeOffset At, string Tool, string Instance);

/// <summary>An event Stripe delivered to this server's receiver, as it arrived (signature checked).</summary>
/// <summary>A webhook endpoint's signing secret, kept because the endpoint is this server's own receiver (never shown).</summary>
internal sealed record KeptSecret(string Endpoint, string Url, string Secret, DateTimeOffset At)
{
    public override string ToString() => $"{Endpoint} {Url}"; // never the secret, wherever a record is printed
}

internal sealed record ReceivedEvent(string Id, string Type, string? ObjectId, DateTimeOffset Created, DateTimeOffset Received, string Json);

/// <summary>An audit event to append: its JSON text and its time.</summary>
internal sealed record AuditEntry(string Json, DateTimeOffset At);

/// <summary>One audit event as the state store keeps it: its place in the chain, and the hash that links it to the one before.</summary>
internal sealed record AuditRecord(long Seq, DateTimeOffset At, string Json, string Prev, string Hash);

/// <summary>
/// What outlives a server process: the rolling totals behind maxTotal, idempotency keys' first uses, and
/// the audit chain. A scope is the Stripe account behind the key and the connected account a call acts
/// for: totals never mix accounts. Every method is atomic; a store shared by several processes (SQLite
/// file, PostgreSQL) serializes writers itself, so two callers racing for the last of a total cannot both
/// get it, and the audit chain has one order. A failure throws <see cref="StateUnavailable"/>.
/// </summary>
internal interface IStateStore : IAsyncDisposable
{
    /// <summary>Where the state is, for logs (never a secret: no password, no connection string).</summary>
    string Description { get; }

    /// <summary>Whether totals outlive this process (and are shared with every process using the same store).</summary>
    bool Durable { get; }

    /// <summary>The amount counted for rule and currency in scope since <paramref name="since"/>, pending and settled alike, but for reservation <paramref name="except"/>.</summary>
    Task<long> UsedAsync(string scope, string rule, string currency, DateTimeOffset since, CancellationToken ct, string? except = null);

    /// <summary>
    /// If every hold fits under its cap, records them all as pending under <paramref name="id"/> (the call's
    /// identity: its caller, account, idempotency key and arguments; or a new id); else records nothing. A retry of
    /// a call held in this scope within <see cref="KeyClaim.Replayable"/> is held afresh under an id of its own
    /// (<see cref="ReserveResult.Reused"/>; the caller gives it back when Stripe replays the first answer), checked
    /// against totals that count the first try unless it ended unanswered (<see cref="UnansweredAsync"/>; one still in
    /// flight counts, so concurrent retries cannot pass a total). An older one is held anew.
    /// </summary>
    Task<ReserveResult> ReserveAsync(string scope, IReadOnlyList<Hold> holds, string tool, DateTimeOffset now, CancellationToken ct, string? id = null);

    /// <summary>Stripe answered: the amount moved (or may have) and stays counted, no longer pending. Only the reservation of this scope.</summary>
    Task SettleAsync(string scope, string id, CancellationToken ct);

    /// <summary>Stripe definitely refused: the amount is given back. Only the reservation of this scope: another account's of the same id stays.</summary>
    Task ReleaseAsync(string scope, string id, CancellationToken ct);

    /// <summary>
    /// The call ended without Stripe's answer (no connection, a timeout, a 5xx): its amount stays counted and pending, and a
    /// retry of it may be checked without it — the retry is how its outcome is found out. A call still in flight is not so marked.
    /// </summary>
    Task UnansweredAsync(string scope, string id, CancellationToken ct);

    /// <summary>
    /// Records that <paramref name="key"/> stands for the call <paramref name="fingerprint"/> in scope, unless it
    /// already stands for another: then nothing changes and the claim says so. Kept a week (Stripe keeps a key at least a day).
    /// </summary>
    Task<KeyClaim> ClaimKeyAsync(string scope, string key, string fingerprint, string tool, DateTimeOffset now, CancellationToken ct);

    /// <summary>Reservations still pending after <paramref name="olderThan"/>: counted, outcome unknown.</summary>
    Task<IReadOnlyList<Uncertain>> UncertainAsync(DateTimeOffset olderThan, CancellationToken ct);

    /// <summary>Appends audit events to the chain in this order, each linked to the one before by <see cref="AuditChain.Hash"/>; all or none.</summary>
    Task AppendAuditAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct);

    /// <summary>The audit chain in order, from the first record at or after <paramref name="since"/> (null: from the start).</summary>
    IAsyncEnumerable<AuditRecord> ReadAuditAsync(DateTimeOffset? since, CancellationToken ct);

    /// <summary>Keeps a received event once: false, and nothing stored, when its id is already kept (a replay or a retry).</summary>
    Task<bool> RecordEventAsync(ReceivedEvent e, CancellationToken ct);

    /// <summary>Received events, newest first: of a type, about an object, received since a time, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<ReceivedEvent>> ReceivedEventsAsync(string? type, string? objectId, DateTimeOffset? since, int limit, CancellationToken ct);

    /// <summary>Keeps the signing secret of an endpoint that points at this server's receiver (replacing one kept for the same endpoint).</summary>
    Task KeepWebhookSecretAsync(KeptSecret kept, CancellationToken ct);

    /// <summary>Forgets an endpoint's kept secret (the endpoint was deleted or points elsewhere); false when none was kept.</summary>
    Task<bool> ForgetWebhookSecretAsync(string endpoint, CancellationToken ct);

    /// <summary>The kept secrets, newest first: the receiver verifies deliveries with these and the configured ones.</summary>
    Task<IReadOnlyList<KeptSecret>> WebhookSecretsAsync(CancellationToken ct);
}

/// <summary>The state store could not be read or written; money-moving calls with limits are refused.</summary>
internal sealed class StateUnavailable(string message, Exception? inner = null) : Exception(message, inner);
