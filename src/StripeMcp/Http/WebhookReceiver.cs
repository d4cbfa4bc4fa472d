using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StripeMcp.State;
using StripeMcp.Receiver;

namespace StripeMcp.Http;

/// <summary>
/// POST /webhooks/stripe in HTTP mode: Stripe's deliveries, outside bearer auth, authenticated by their signature.
/// Verified with Stripe.net's own EventUtility (HMAC-SHA256 of "{t}.{payload}", Stripe's 5-minute tolerance) against
/// each configured secret; a verified event is kept once in the state store's event log (a replay is acknowledged
/// and not kept again) and answered 200 at once. A bad or missing signature is 400, nothing kept, one warning line.
/// </summary>
internal static class WebhookReceiver
{
    public const string Path = Receiver.WebhookSecretKeeper.ReceiverPath;
    private const int MaxBody = 1 << 20;

    /// <summary>
    /// Whether the receiver takes deliveries: a secret is configured, one is kept for an endpoint created for it
    /// (<paramref name="kept"/>), or the agent may create such an endpoint.
    /// </summary>
    public static bool Receiving(Configuration.ServerOptions options, bool kept) =>
        options.WebhookSecrets.Count > 0 || kept || options.Permissions.Contains("webhookEndpoints.create");

    public static async Task HandleAsync(HttpContext ctx, IReadOnlyList<string> configured, KeptSecrets keptSecrets, IStateStore store, Resources.EventFeed feed, ILogger log)
    {
        // The configured secrets, and those kept for endpoints created for this receiver (WebhookSecretKeeper).
        IReadOnlyList<string> kept = [];
        string? unavailable = null;
        try
        {
            kept = await keptSecrets.GetAsync(ctx.RequestAborted);
        }
        catch (StateUnavailable e)
        {
            unavailable = e.Message;
        }
        IReadOnlyList<string> secrets = [.. configured, .. kept];
        if (secrets.Count == 0 && unavailable is not null)
        {
            log.LogWarning("webhook not verified: the kept signing secrets are unavailable: {Why}", LogText.Safe(unavailable, 300));
            await Answer(ctx, 503, new { error = "the signing secrets could not be read; Stripe will retry" });
            return;
        }
        if (secrets.Count == 0)
        {
            await Answer(ctx, 404, new { error = "no webhook signing secret is configured (webhooks.secrets, or $" + Configuration.EnvVars.WebhookSecret + ") or kept for an endpoint created for this receiver; this server receives no webhooks" });
            return;
        }
        var signature = ctx.Request.Headers["Stripe-Signature"].FirstOrDefault();
        if (string.IsNullOrEmpty(signature))
        {
            log.LogWarning("webhook refused: no Stripe-Signature header");
            await Answer(ctx, 400, new { error = "missing Stripe-Signature header" });
            return;
        }
        if (ctx.Request.ContentLength > MaxBody)
        {
            await Answer(ctx, 413, new { error = $"a webhook body is at most {MaxBody} bytes" });
            return;
        }
        // Read as it arrives, up to the limit (a body without Content-Length is bounded too).
        var body = new StringBuilder();
        try
        {
            using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8);
            var chunk = new char[16 * 1024];
            int read;
            while ((read = await reader.ReadAsync(chunk, ctx.RequestAborted)) > 0)
            {
                body.Append(chunk, 0, read);
                if (body.Length > MaxBody)
                {
                    await Answer(ctx, 413, new { error = $"a webhook body is at most {MaxBody} bytes" });
                    return;
                }
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e)
        {
            // Kestrel's own limit (http.maxBodyBytes) on a chunked body, or a body arriving too slowly: the sender's fault, said plainly.
            log.LogWarning("webhook refused: {Problem}", e.Message);
            await Answer(ctx, e.StatusCode, new { error = e.StatusCode == 413 ? $"a webhook body is at most {MaxBody} bytes (and the server's http.maxBodyBytes)" : e.Message });
            return;
        }
        var payload = body.ToString();
        global::Stripe.Event? evt = null;
        string? why = null;
        var viaKept = false;
        foreach (var (secret, i) in secrets.Select((x, i) => (x, i)))
        {
            try
            {
                evt = global::Stripe.EventUtility.ConstructEvent(payload, signature, secret, throwOnApiVersionMismatch: false);
                viaKept = i >= configured.Count;
                break;
            }
            catch (global::Stripe.StripeException e)
            {
                why = e.Message;
            }
            catch (JsonException)
            {
                why = "the body is not a Stripe event";
            }
        }
        if (evt is not null && viaKept && !string.IsNullOrEmpty(evt.Account))
        {
            // A kept secret is a platform endpoint's: an event of a connected account signed with it is not Stripe's.
            log.LogWarning("webhook refused: {Id} names connected account {Account} but is signed with a kept platform endpoint's secret", evt.Id, LogText.Safe(evt.Account, 60));
            await Answer(ctx, 400, new { error = "signature verification failed: a connected account's event signed with a platform endpoint's secret" });
            return;
        }
        if (evt is null && unavailable is not null)
        {
            // It may be signed with a kept secret that could not be read: not a forgery for sure, so Stripe should retry.
            log.LogWarning("webhook not verified: no configured secret matched and the kept ones are unavailable: {Why}", LogText.Safe(unavailable, 300));
            await Answer(ctx, 503, new { error = "the signature could not be checked against every secret; Stripe will retry" });
            return;
        }
        if (evt is null)
        {
            log.LogWarning("webhook refused: {Why}", LogText.Safe(why ?? "no secret matched", 200));
            await Answer(ctx, 400, new { error = "signature verification failed: " + Redactor.Redact(why ?? "no configured secret matched") });
            return;
        }
        using var doc = JsonDocument.Parse(payload);
        var objectId = doc.RootElement.TryGetProperty("data", out var data) && data.TryGetProperty("object", out var obj)
            && obj.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        bool stored;
        try
        {
            stored = await store.RecordEventAsync(new ReceivedEvent(evt.Id, evt.Type, objectId, evt.Created, DateTimeOffset.UtcNow, payload), ctx.RequestAborted);
        }
        catch (StateUnavailable e)
        {
            // Not kept: Stripe retries a non-2xx, so the event is not lost.
            log.LogWarning("webhook {Id} not kept: {Why}", evt.Id, LogText.Safe(e.Message, 300));
            await Answer(ctx, 503, new { error = "the event could not be kept; Stripe will retry" });
            return;
        }
        log.LogInformation("webhook {Type} {Id} {What}", evt.Type, evt.Id, stored ? "kept" : "already kept (replay), acknowledged");
        await Answer(ctx, 200, new { received = true, duplicate = !stored });
        if (stored) _ = Task.Run(feed.ArrivedAsync); // after the answer: a slow subscriber never delays Stripe
    }

    private static Task Answer(HttpContext ctx, int status, object body)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(body);
    }
}
