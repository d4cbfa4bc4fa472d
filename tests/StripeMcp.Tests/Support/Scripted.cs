using System.Text;
namespace StripeMcp.Tests.Support;

/// <summary>
/// A scripted answer: status, JSON body and extra headers. The init-only properties make it hostile:
/// any content type (or none), raw bytes, a delay before answering, or no answer at all (connection reset).
/// </summary>
public sealed record Scripted(int Status, string Json, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>The Content-Type header sent; null sends none. Default "application/json".</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>The body as these exact bytes (invalid UTF-8, 30 MB …) instead of <see cref="Json"/>.</summary>
    public byte[]? Body { get; init; }

    /// <summary>Wait this long before answering (ends early when the caller goes away or the stand-in stops).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Reset the connection (HttpContext.Abort) instead of answering; the request is still recorded.</summary>
    public bool Abort { get; init; }

    /// <summary>Any body with any content type (null: no Content-Type header).</summary>
    public static Scripted Raw(int status, string body, string? contentType) => new(status, body) { ContentType = contentType };

    /// <summary>A body of exactly these bytes.</summary>
    public static Scripted Bytes(int status, byte[] body, string? contentType = "application/json") => new(status, "") { Body = body, ContentType = contentType };

    /// <summary>A redirect (301, 302, 303, 307, 308) to <paramref name="location"/>, with an empty body and no content type.</summary>
    public static Scripted Redirect(int status, string location) =>
        new(status, "", new Dictionary<string, string> { ["Location"] = location }) { ContentType = null };

    /// <summary>The connection is reset after the request is read: no HTTP answer at all.</summary>
    public static Scripted ConnectionReset() => new(0, "") { Abort = true };

    /// <summary>Answer <paramref name="then"/> (default: a generic object) only after <paramref name="delay"/>.</summary>
    public static Scripted Stall(TimeSpan delay, Scripted? then = null) =>
        (then ?? new Scripted(200, """{"id":"obj_stalled","object":"unknown","livemode":false}""")) with { Delay = delay };

    /// <summary>A JSON object at least <paramref name="bytes"/> long: {"id":…,"object":…,"description":"aaaa…"}.</summary>
    public static Scripted Huge(int bytes, string id = "cus_huge", string objectType = "customer")
    {
        var head = Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"object\":\"" + objectType + "\",\"description\":\"");
        var tail = "\"}"u8.ToArray();
        var body = new byte[Math.Max(bytes, head.Length + tail.Length)];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, body.Length - head.Length - tail.Length).Fill((byte)'a');
        tail.CopyTo(body, body.Length - tail.Length);
        return Bytes(200, body);
    }

    /// <summary>{"a":{"a":…{}…}} nested <paramref name="depth"/> objects deep.</summary>
    public static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);
}
