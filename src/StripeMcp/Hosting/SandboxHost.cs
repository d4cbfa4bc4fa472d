namespace StripeMcp.Hosting;

/// <summary>The in-process sandbox for --sandbox, behind a seam so the sandbox assembly loads only when used.</summary>
public sealed class SandboxHost : IAsyncDisposable
{
    private readonly IAsyncDisposable _sandbox;

    public string BaseUrl { get; }

    private SandboxHost(IAsyncDisposable sandbox, string baseUrl) => (_sandbox, BaseUrl) = (sandbox, baseUrl);

    public static async Task<SandboxHost> StartAsync(CancellationToken ct)
    {
        var sandbox = await Sandbox.Sandbox.StartAsync(new Sandbox.SandboxOptions { Seed = true }, ct);
        return new SandboxHost(sandbox, sandbox.BaseUrl);
    }

    public ValueTask DisposeAsync() => _sandbox.DisposeAsync();
}
