namespace StripeMcp.Tests.Attacks;

/// <summary>What the call must answer: the error type and what the error must carry.</summary>
public sealed record Expected(string Type)
{
    public int? HttpStatus { get; init; }
    /// <summary>The content_type field must start with this (the media type the stand-in sent).</summary>
    public string? ContentType { get; init; }
    /// <summary>Each must be in the message (case-insensitive).</summary>
    public string[] Message { get; init; } = [];
    /// <summary>A POST that may have landed: the error carries its idempotency key.</summary>
    public bool IdempotencyKey { get; init; }
    /// <summary>A limit-checked refund whose lookups were unusable: POST /v1/refunds must not be sent.</summary>
    public bool NoRefundSent { get; init; }
}
