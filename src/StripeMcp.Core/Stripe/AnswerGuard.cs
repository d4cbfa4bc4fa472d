using System.Net.Http.Headers;

namespace StripeMcp.Stripe;

/// <summary>
/// Sits under Stripe.net's HTTP client and refuses what Stripe's API never sends, before Stripe.net sees
/// it: redirects are not followed (a 307/308 would carry the form body and idempotency key to another
/// host); an answer over <see cref="MaxAnswerBytes"/> is not read; a success that is not JSON is not
/// Stripe's. It throws <see cref="UnusableAnswer"/>, which Stripe.net neither catches nor retries.
/// </summary>
internal sealed class AnswerGuard() : DelegatingHandler(new SocketsHttpHandler
{
    AllowAutoRedirect = false,
    PooledConnectionLifetime = TimeSpan.FromMinutes(5),
})
{
    /// <summary>
    /// The answer's content type, copied to a response header: Stripe.net hands on only response headers,
    /// and an error page (an HTML 502 from a proxy) must be named for what it is.
    /// </summary>
    public const string ContentTypeHeader = "X-Stripe-Mcp-Content-Type";

    /// <summary>The content type <see cref="AnswerGuard"/> saw, from Stripe.net's copy of the headers.</summary>
    public static string? ContentTypeOf(HttpResponseHeaders? headers) =>
        headers is not null && headers.TryGetValues(ContentTypeHeader, out var v) ? v.FirstOrDefault() : null;

    public static bool IsJson(string? mediaType) =>
        mediaType is { } m && (m.Equals("application/json", StringComparison.OrdinalIgnoreCase) || m.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>The largest answer read from the API base (Stripe's largest lists are well under 2 MiB).</summary>
    public const long MaxAnswerBytes = 16 * 1024 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var response = await base.SendAsync(request, ct);
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType?.MediaType;
        if (status is >= 300 and < 400)
        {
            var location = response.Headers.Location;
            response.Dispose();
            throw new UnusableAnswer(status, type, "",
                $"answered HTTP {status}, a redirect{(location is null ? "" : $" to {location}")}; it was not followed, because Stripe's API never redirects");
        }
        if (response.Content.Headers.ContentLength > MaxAnswerBytes) throw TooLarge(response, status, type);

        // Read the body here, with a bound, so neither Stripe.net nor anything after it holds more.
        var buffer = new MemoryStream();
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(ct);
            var chunk = new byte[81920];
            int n;
            while ((n = await body.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + n > MaxAnswerBytes) throw TooLarge(response, status, type);
                buffer.Write(chunk, 0, n);
            }
        }
        catch (IOException e)
        {
            // A connection reset mid-body is a network failure (Stripe.net retries those), not an answer.
            throw new HttpRequestException($"the connection failed while reading the answer: {e.Message}", e);
        }

        var content = new ByteArrayContent(buffer.GetBuffer(), 0, (int)buffer.Length);
        foreach (var header in response.Content.Headers) content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        response.Content = content;
        if (type is not null) response.Headers.TryAddWithoutValidation(ContentTypeHeader, type);

        if (status is >= 200 and < 300 && !IsJson(type))
        {
            var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)Math.Min(buffer.Length, 1024));
            throw new UnusableAnswer(status, type, UnusableAnswer.ExcerptOf(text),
                $"answered HTTP {status} with {(type is null ? "no content type" : $"content type {type}")} ({buffer.Length:N0} bytes), not JSON");
        }
        return response;
    }

    private static UnusableAnswer TooLarge(HttpResponseMessage response, int status, string? type)
    {
        response.Dispose();
        return new UnusableAnswer(status, type, "",
            $"answered HTTP {status} with more than {MaxAnswerBytes / (1024 * 1024)} MiB, which was not read", tooLarge: true);
    }
}
