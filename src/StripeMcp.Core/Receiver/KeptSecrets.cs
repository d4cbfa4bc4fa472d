using StripeMcp.State;

namespace StripeMcp.Receiver;

/// <summary>
/// The kept signing secrets, read from the state store at most every <see cref="Fresh"/> (another instance sharing
/// the store may add one), so a flood of unauthenticated deliveries cannot turn into a flood of store reads.
/// </summary>
internal sealed class KeptSecrets(IStateStore store)
{
    public static readonly TimeSpan Fresh = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private (IReadOnlyList<string> Secrets, DateTimeOffset At)? _cached;

    /// <summary>The secrets; throws <see cref="StateUnavailable"/> when they cannot be read and none are cached.</summary>
    public async Task<IReadOnlyList<string>> GetAsync(CancellationToken ct)
    {
        if (_cached is { } c && DateTimeOffset.UtcNow - c.At < Fresh) return c.Secrets;
        await _gate.WaitAsync(ct);
        try
        {
            if (_cached is { } again && DateTimeOffset.UtcNow - again.At < Fresh) return again.Secrets;
            var secrets = (await store.WebhookSecretsAsync(ct)).Select(k => k.Secret).ToList();
            _cached = (secrets, DateTimeOffset.UtcNow);
            return secrets;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _cached = null;
}
