using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace StripeMcp.Http;

/// <summary>
/// How the HTTP transport says no: a JSON error with its status, answered before the connection closes. A body the
/// server will not use (unauthenticated, over the limit, of the wrong type) is read and dropped after the answer, up
/// to a bound, so a client still sending it reads the answer instead of a reset.
/// </summary>
internal static class HttpRefusals
{
    /// <summary>How much of an unwanted body is read and dropped after a refusal, and for how long, before the connection is cut.</summary>
    public const long DrainBytes = 64L << 20;
    private static readonly TimeSpan DrainTime = TimeSpan.FromSeconds(15);

    /// <param name="drain">False when the body already failed to read (too slow, over Kestrel's limit): nothing more can be read of it.</param>
    public static async Task Refuse(HttpContext ctx, int status, string type, string message, bool drain = true)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers.Connection = "close";
        drain = drain && HasUnreadBody(ctx) && Raise(ctx, DrainBytes);
        await ctx.Response.WriteAsync(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = Redactor.Redact(message) } }.ToJsonString(PlainJson.Options));
        if (!drain) return;
        await ctx.Response.CompleteAsync();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        timeout.CancelAfter(DrainTime);
        var buffer = new byte[64 * 1024];
        try
        {
            while (await ctx.Request.Body.ReadAsync(buffer, timeout.Token) > 0) { }
        }
        catch (Exception e) when (e is BadHttpRequestException or OperationCanceledException or IOException)
        {
            ctx.Abort(); // past the bound, too slow, or gone: the answer is out, the connection is cut
        }
    }

    /// <summary>
    /// Kestrel throws these from a body read (the SDK's handler's, or the step-up check's): a chunked body growing past
    /// maxBodyBytes, a body arriving too slowly (408). The client's fault, so a refusal, not a 500 with a stack trace; a
    /// response already under way can only be cut off.
    /// </summary>
    public static Task RefuseBadBodyAsync(HttpContext ctx, BadHttpRequestException e, long maxBody, ILogger log)
    {
        log.LogWarning("Refused {Path}: {Problem}", ctx.Request.Path, e.Message);
        if (ctx.Response.HasStarted) { ctx.Abort(); return Task.CompletedTask; }
        var (type, message) = e.StatusCode switch
        {
            413 => ("payload_too_large", $"The request body is over the limit of {maxBody} bytes."),
            408 => ("request_timeout", "The request body arrived too slowly; send it in one go."),
            _ => ("bad_request", e.Message),
        };
        return Refuse(ctx, e.StatusCode, type, message, drain: false);
    }

    /// <summary>
    /// A chunked body (no Content-Length to refuse by) read here, up to <paramref name="limit"/>: the bytes, or null when
    /// it is over the limit (the caller refuses it, and the rest is drained).
    /// </summary>
    public static async Task<byte[]?> ReadChunkedAsync(HttpContext ctx, long limit)
    {
        Raise(ctx, DrainBytes);
        using var kept = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted)) > 0)
        {
            kept.Write(buffer, 0, read);
            if (kept.Length > limit) return null;
        }
        return kept.ToArray();
    }

    private static bool HasUnreadBody(HttpContext ctx) =>
        ctx.Request.ContentLength is > 0 || ctx.Request.ContentLength is null && ctx.Request.Headers.TransferEncoding.Count > 0;

    /// <summary>Lets the rest of a body be read past the usual limit (only before any of it was read).</summary>
    private static bool Raise(HttpContext ctx, long bytes)
    {
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } size) return ctx.Request.ContentLength is null or <= DrainBytes;
        size.MaxRequestBodySize = bytes;
        return true;
    }
}
