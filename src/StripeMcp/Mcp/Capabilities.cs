using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Mcp;

/// <summary>
/// Advertise only what is sent. The SDK sets tools.listChanged whenever the tools come from a collection, but
/// ours never changes at run time, so no list_changed is ever sent; and it sets logging on every handshake
/// protocol, which only stdio sends (<see cref="ClientLog"/>); and resources.subscribe, which an initialize
/// client can use only where it has a session (stdio, stateful HTTP): a 2026-07-28 client subscribes with
/// subscriptions/listen, which needs none. This outgoing filter takes each out of the capabilities in an
/// initialize (or discover) result where it is not true.
/// </summary>
internal static class Capabilities
{
    /// <summary>A copy to change: in HTTP the options' capabilities may be shared by every token's sessions.</summary>
    public static ServerCapabilities Copy(ServerCapabilities? c) => new()
    {
        Tools = c?.Tools ?? new ToolsCapability(),
        Resources = c?.Resources,
        Prompts = c?.Prompts,
        Completions = c?.Completions,
    };

    /// <param name="logging">Whether the transport sends log notifications (stdio only).</param>
    /// <param name="sessions">Whether an initialize client gets a session (stdio, stateful HTTP).</param>
    public static McpMessageFilter AsSent(bool logging, bool sessions) => next => (context, ct) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result["capabilities"] is JsonObject capabilities)
        {
            (capabilities["tools"] as JsonObject)?.Remove("listChanged");
            if (!logging) capabilities.Remove("logging");
            if (!sessions && result.ContainsKey("protocolVersion")) (capabilities["resources"] as JsonObject)?.Remove("subscribe");
        }
        return next(context, ct);
    };
}
