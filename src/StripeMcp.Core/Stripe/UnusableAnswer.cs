namespace StripeMcp.Stripe;

/// <summary>
/// An answer from the API base that cannot be Stripe's (a redirect, a body that is not JSON, an answer
/// too large to hold): never retried, never handed on as Stripe's, never fed to a limit check.
/// </summary>
internal sealed class UnusableAnswer(int status, string? contentType, string excerpt, string problem, bool tooLarge = false)
    : Exception(problem)
{
    public int Status { get; } = status;
    public string? ContentType { get; } = contentType;
    public string Excerpt { get; } = excerpt;
    public bool TooLarge { get; } = tooLarge;

    /// <summary>The start of a body for an error message: at most 200 characters, control characters escaped (redacted later, with the whole error).</summary>
    public static string ExcerptOf(string body) => LogText.Safe(body, 200);
}
