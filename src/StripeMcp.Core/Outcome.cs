namespace StripeMcp;

/// <summary>How a tool call ended, as the audit trail names it.</summary>
internal static class Outcome
{
    public const string Ok = "ok", StripeError = "stripe_error", InvalidArguments = "invalid_arguments", LimitExceeded = "limit_exceeded",
        Declined = "declined", Denied = "denied", NetworkError = "network_error", DryRun = "dry_run",
        UpstreamError = "upstream_error", TooLarge = "result_too_large", Cancelled = "cancelled", InternalError = "internal_error",
        LimitUnverifiable = "limit_unverifiable", IdempotencyConflict = "idempotency_conflict";
}
