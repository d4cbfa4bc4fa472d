using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Mcp;

/// <summary>
/// Puts the engine's tools for one caller on an MCP server (<see cref="McpTool"/>): each listed once under its own name, and callable by its
/// aliases too (<see cref="ToolDefinition.Aliases"/>), so a prompt written with Stripe's toolkit's name
/// reaches the same row, the same gate and the same audit. A name that is not an enabled tool's is
/// unknown, alias or not.
/// </summary>
internal static class PublishedTools
{
    /// <param name="audit">Where a call of a name that is no enabled tool leaves its one event (denied), with <paramref name="caller"/>.</param>
    public static void Install(McpServerOptions options, IEnumerable<EngineTool> tools, ConfirmationSeal seal, Policy.AuditTrail audit, string? caller)
    {
        var collection = new McpServerPrimitiveCollection<McpServerTool>();
        foreach (var tool in tools) collection.Add(new McpTool(tool, seal));
        options.ToolCollection = collection;
        // The SDK calls this only for names its collection does not hold.
        options.Handlers.CallToolHandler = (request, ct) =>
        {
            if (request.Params?.Name is { } name && ToolCatalog.Find(name) is { } row && collection.TryGetPrimitive(row.Name, out var tool))
                return tool.InvokeAsync(request, ct);
            var asked = LogText.Safe(request.Params?.Name ?? "", 80);
            audit.Record(new Policy.AuditEvent(asked, "-", new Dictionary<string, System.Text.Json.JsonElement>()) { Caller = caller, Detail = "not a tool this caller may call" }, Outcome.Denied);
            throw new McpProtocolException($"Unknown tool: '{request.Params?.Name}'", McpErrorCode.InvalidParams);
        };
    }
}
