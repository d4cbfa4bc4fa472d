using StripeMcp.Configuration;

namespace StripeMcp.Hosting;

/// <summary>The in-process sandbox for --sandbox, behind a seam so the sandbox assembly loads only when used.</summary>
internal sealed class SandboxHost : IAsyncDisposable
{
    private readonly IAsyncDisposable _sandbox;
    private readonly Func<string, bool> _hasAccount;

    public string BaseUrl { get; }

    private SandboxHost(IAsyncDisposable sandbox, string baseUrl, Func<string, bool> hasAccount) =>
        (_sandbox, BaseUrl, _hasAccount) = (sandbox, baseUrl, hasAccount);

    public static async Task<SandboxHost> StartAsync(CancellationToken ct)
    {
        var sandbox = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { Seed = true }, ct);
        return new SandboxHost(sandbox, sandbox.BaseUrl, id => sandbox.State.Find(Sandbox.SandboxState.Platform, "account", id) is not null);
    }

    /// <summary>The connected accounts the options name (context.account, context.accounts) that this sandbox does not have.</summary>
    public IReadOnlyList<string> UnknownAccounts(ServerOptions o) =>
        new[] { o.Account }.Concat(o.AccountAllowList ?? new HashSet<string>())
            .OfType<string>().Where(a => a != "*" && !_hasAccount(a)).Distinct().Order(StringComparer.Ordinal).ToList();

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();
}
