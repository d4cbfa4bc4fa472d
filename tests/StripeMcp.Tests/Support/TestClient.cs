using ModelContextProtocol.Client;

namespace StripeMcp.Tests.Support;

/// <summary>
/// Every test's MCP client connects through here. The SDK's client first probes a server with
/// <c>server/discover</c> and gives up on it after 5 s; on a loaded machine a server still starting misses
/// that, and the fallback <c>initialize</c> is then refused. The probe is bounded by the handshake's own
/// (longer) timeout instead, so a slow start is slow, not a failure.
/// </summary>
public static class TestClient
{
    public static readonly TimeSpan Handshake = TimeSpan.FromMinutes(2);

    public static McpClientOptions Patient(McpClientOptions? options = null)
    {
        options ??= new McpClientOptions();
        options.DiscoverProbeTimeout = Timeout.InfiniteTimeSpan;
        options.InitializationTimeout = Handshake;
        return options;
    }

    public static Task<McpClient> ConnectAsync(IClientTransport transport, McpClientOptions? options = null, CancellationToken ct = default) =>
        McpClient.CreateAsync(transport, Patient(options), cancellationToken: ct);
}
