using System.Text.Json;
using System.Text.RegularExpressions;
using StripeMcp.Configuration;
using StripeMcp.State;
using StripeMcp.Tools;

namespace StripeMcp.Receiver;

/// <summary>
/// When an agent creates a webhook endpoint whose URL is this server's own receiver, the server keeps the signing
/// secret Stripe returns (once, on create) in its state store, and the receiver verifies deliveries with it: the
/// operator copies nothing, and the agent still sees the secret masked. Deleting the endpoint, or pointing it
/// elsewhere, forgets the secret. Recognised by the row's method and path, whichever tool carries it.
/// </summary>
/// <param name="addresses">Where this server listens, once started (e.g. http://127.0.0.1:8080).</param>
internal sealed partial class WebhookSecretKeeper(HttpSettings http, IStateStore store, Func<IEnumerable<string>> addresses)
{
    /// <summary>Where this server's receiver takes Stripe's deliveries (HTTP mode).</summary>
    public const string ReceiverPath = "/webhooks/stripe";

    /// <summary>Whether <paramref name="url"/> is this server's receiver: its path, on a loopback name at the port this server listens on, or on a host name it serves (http.allowedHosts).</summary>
    public bool IsOwn(string? url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.UserInfo.Length > 0) return false;
        if (u.AbsolutePath.TrimEnd('/') != ReceiverPath) return false;
        if (HttpSettings.IsLoopback(u.Host))
            return addresses().Any(a => Uri.TryCreate(a, UriKind.Absolute, out var mine) && mine.Port == u.Port);
        return http.AllowedHosts.Any(h => h != "*" && string.Equals(h, u.Host, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>After a successful call: keeps or forgets a secret when the call created, repointed or deleted an endpoint of ours; what it did, for the agent, or null.</summary>
    /// <param name="account">The connected account the call acted on (Stripe-Account), null for the platform.</param>
    public async Task<string?> ObserveAsync(ToolDefinition row, JsonElement body, string? account, CancellationToken ct)
    {
        var id = Text(body, "id");
        if (id is null || !id.StartsWith("we_", StringComparison.Ordinal)) return null;
        try
        {
            if (row.Method == HttpMethod.Post && row.Path == "/v1/webhook_endpoints")
            {
                var url = Text(body, "url");
                if (!IsOwn(url)) return null;
                // Only the platform's own endpoints: a connected account's endpoint (Stripe-Account), or a Connect endpoint
                // (events of every connected account), has a secret its owner can read, and would feed other accounts'
                // events to this server's callers.
                if (account is not null || Text(body, "application") is not null || body.TryGetProperty("connect", out var connect) && connect.ValueKind == JsonValueKind.True)
                    return $"{id} points at this server's receiver, but it is {(account is not null ? $"connected account {account}'s endpoint" : "a Connect endpoint")}: the server keeps only the platform's own endpoints' secrets, so its deliveries are refused unless the operator configures the secret (webhooks.secrets).";
                if (Text(body, "secret") is not { } secret || !OptionsLoader.IsWebhookSecret(secret))
                    return $"{id} points at this server's receiver, but Stripe's answer carried no signing secret to keep: deliveries to it cannot be verified and will be refused. Delete it and create it again.";
                await store.KeepWebhookSecretAsync(new KeptSecret(id, url!, secret, DateTimeOffset.UtcNow), ct);
                Secrets.Invalidate();
                return $"{id} points at this server's own receiver: the server keeps its signing secret (in its state store) and verifies what arrives with it; there is nothing to copy.";
            }
            if (!OneEndpoint().IsMatch(row.Path)) return null;
            if (row.Method == HttpMethod.Delete || (row.Method == HttpMethod.Post && !IsOwn(Text(body, "url"))))
                return await Forget(id, ct)
                    ? $"The server no longer verifies deliveries with {id}'s signing secret ({(row.Method == HttpMethod.Delete ? "the endpoint is deleted" : "it points elsewhere now")})."
                    : null;
            return null;
        }
        catch (StateUnavailable e)
        {
            return $"{id}'s signing secret could not be {(row.Method == HttpMethod.Delete ? "forgotten" : "kept")}: the state store is unavailable ({e.Message}). " +
                (row.Method == HttpMethod.Delete ? "It is no longer used once the endpoint is gone." : "Deliveries to it will be refused; delete it and create it again when the state store is back.");
        }
    }

    /// <summary>The kept secrets as the receiver reads them (cached; this keeper's changes refresh the cache at once).</summary>
    public KeptSecrets Secrets { get; } = new(store);

    private async Task<bool> Forget(string id, CancellationToken ct)
    {
        var forgot = await store.ForgetWebhookSecretAsync(id, ct);
        Secrets.Invalidate();
        return forgot;
    }

    private static string? Text(JsonElement o, string name) =>
        o.ValueKind == JsonValueKind.Object && o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    [GeneratedRegex(@"^/v1/webhook_endpoints/\{[a-z_]+\}$")]
    private static partial Regex OneEndpoint();
}
