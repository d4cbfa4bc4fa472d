using System.Text.Json.Nodes;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Hosting;

/// <summary>
/// Advertise only what is sent. The SDK sets tools.listChanged whenever the tools come from a collection, but
/// ours never changes at run time, so no list_changed is ever sent; and it sets logging on every handshake
/// protocol, which only stdio sends (<see cref="ClientLog"/>). This outgoing filter takes both out of the
/// capabilities in an initialize (or discover) result where they are not true.
/// </summary>
public static class Capabilities
{
    /// <summary>A copy to change: in HTTP the options' capabilities may be shared by every token's sessions.</summary>
    public static ServerCapabilities Copy(ServerCapabilities? c) => new()
    {
        Tools = c?.Tools ?? new ToolsCapability(),
        Resources = c?.Resources,
        Prompts = c?.Prompts,
        Completions = c?.Completions,
    };

    public static McpMessageFilter AsSent(bool logging) => next => (context, ct) =>
    {
        if (context.JsonRpcMessage is JsonRpcResponse { Result: JsonObject result } && result["capabilities"] is JsonObject capabilities)
        {
            (capabilities["tools"] as JsonObject)?.Remove("listChanged");
            if (!logging) capabilities.Remove("logging");
        }
        return next(context, ct);
    };
}
