namespace StripeMcp.Tests.Attacks;

/// <summary>A JSON-RPC error answer to a raw request (what the SDK client would throw as McpProtocolException).</summary>
public sealed class RawRpcError(string json) : Exception(json)
{
    public string Json { get; } = json;
}
