using System.Text.Json;
using StripeMcp.Amounts;
using StripeMcp.Stripe;

namespace StripeMcp.Policy;

/// <summary>
/// Which totals a call counts against: the Stripe account behind the key (read once, GET /v1/account)
/// and the connected account the call acts for. Two keys of one account share totals; two accounts
/// never do. Asked only when a rolling total applies.
/// </summary>
internal sealed class AccountScope(StripeGateway gateway)
{
    private readonly SemaphoreSlim _once = new(1, 1);
    private string? _platform;

    public async Task<string> ForAsync(string? connected, CancellationToken ct) => $"{await PlatformAsync(ct)}/{connected ?? "platform"}";

    private async Task<string> PlatformAsync(CancellationToken ct)
    {
        if (_platform is { } known) return known;
        await _once.WaitAsync(ct);
        try
        {
            if (_platform is { } raced) return raced;
            var outcome = await gateway.SendAsync(new StripeRequest("limit scope", HttpMethod.Get, "/v1/account", "/v1/account", "", null, null), ct);
            if (!outcome.Ok) throw new LookupFailed(outcome);
            var body = outcome.Body;
            if (!body.TryGetProperty("object", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "account"
                || !body.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || !StripeIds.IsAccount(id.GetString()!))
                throw new AmountUnknown("reading the account behind the key (GET /v1/account) for the limit totals answered with something that is not an account, so the totals cannot be checked");
            return _platform = id.GetString()!;
        }
        finally
        {
            _once.Release();
        }
    }
}
