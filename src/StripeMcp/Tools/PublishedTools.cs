using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Tools;

/// <summary>
/// Puts the enabled tools on an MCP server: each listed once under its own name, and callable by its
/// aliases too (<see cref="ToolDefinition.Aliases"/>), so a prompt written with Stripe's toolkit's name
/// reaches the same row, the same gate and the same audit. A name that is not an enabled tool's is
/// unknown, alias or not.
/// </summary>
public static class PublishedTools
{
    public static void Install(McpServerOptions options, IEnumerable<McpServerTool> tools)
    {
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in tools) collection.Add(tool);
        options.ToolCollection = collection;
        // The SDK calls this only for names its collection does not hold.
        options.Handlers.CallToolHandler = (request, ct) =>
            request.Params?.Name is { } name && ToolCatalog.Find(name) is { } row && collection.TryGetPrimitive(row.Name, out var tool)
                ? tool.InvokeAsync(request, ct)
                : throw new McpProtocolException($"Unknown tool: '{request.Params?.Name}'", McpErrorCode.InvalidParams);
    }
}
