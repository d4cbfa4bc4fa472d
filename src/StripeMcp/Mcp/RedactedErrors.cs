using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace StripeMcp.Mcp;

/// <summary>
/// Every JSON-RPC error this server sends — ours, or the SDK's (an unknown method, tool, prompt or URI echoes what the
/// client sent) — has its secrets masked (sk_/rk_/whsec_, <see cref="Redactor"/>), message and data alike. Tool results
/// are masked where they are made (<see cref="Tools.ToolAnswer"/>).
/// </summary>
internal static class RedactedErrors
{
    public static McpMessageFilter Filter => next => (context, ct) =>
    {
        if (context.JsonRpcMessage is JsonRpcError { Error: { } error })
        {
            error.Message = Redactor.Redact(error.Message);
            if (error.Data is JsonElement data && Redactor.Redact(data.GetRawText()) is var masked && masked != data.GetRawText())
                error.Data = JsonDocument.Parse(masked).RootElement.Clone();
        }
        return next(context, ct);
    };
}
