namespace StripeMcp.Tests.Support;

/// <summary>One request as it reached the stand-in.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The form body (POST) or the query (GET, DELETE), decoded, with Stripe's bracket keys as written.</summary>
    public string Params => Uri.UnescapeDataString((Method == "POST" ? Body : Query.TrimStart('?')).Replace('+', ' '));
}
