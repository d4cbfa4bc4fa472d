using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Mcp;

/// <summary>
/// This server runs no tasks (the io.modelcontextprotocol/tasks extension, MCP 2026-07-28): every tool answers in
/// its call. The protocol asks a server to answer tasks/get, tasks/update and tasks/cancel from a client that did
/// not declare the extension with -32021 (a missing client capability), not "method not found"; a client that did
/// declare it learns that no task exists here.
/// </summary>
internal static class NoTasks
{
    public const string Extension = "io.modelcontextprotocol/tasks";

    public static void Install(McpServerOptions options)
    {
#pragma warning disable MCPEXP002 // custom request handlers are the SDK's way to answer a method it does not know

        options.RequestHandlers ??= [];
        foreach (var method in new[] { "tasks/get", "tasks/update", "tasks/cancel" })
            options.RequestHandlers.Add(new McpServerRequestHandler { Method = method, Handler = (request, _) => throw Refusal(request, method) });
#pragma warning restore MCPEXP002
    }

    private static McpProtocolException Refusal(JsonRpcRequest request, string method) =>
        Declared(request)
            ? new McpProtocolException($"{method}: this server runs no tasks; every tool answers in its call.", McpErrorCode.MethodNotFound)
            : new MissingRequiredClientCapabilityException(
                new ClientCapabilities { Extensions = new Dictionary<string, object> { [Extension] = new JsonObject() } },
                $"{method} needs the '{Extension}' client extension; this server runs no tasks, so every tool answers in its call.");

    private static bool Declared(JsonRpcRequest request) =>
        request.Context?.ClientCapabilities?.Extensions?.ContainsKey(Extension) is true ||
        request.Params?["_meta"]?[MetaKeys.ClientCapabilities]?["extensions"] is JsonObject extensions && extensions.ContainsKey(Extension);
}
