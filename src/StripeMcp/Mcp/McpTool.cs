using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Tools;

namespace StripeMcp.Mcp;

/// <summary>
/// An engine tool as the MCP SDK publishes it: its listing as an MCP tool, and a call passed to the engine with the
/// client as the confirmation port. Nothing here decides anything; the answer is the engine's, in MCP's shape.
/// </summary>
/// <param name="seal">Seals and opens the request state of this server's input-required confirmations.</param>
internal sealed class McpTool(EngineTool tool, ConfirmationSeal seal) : McpServerTool
{
    public EngineTool Engine { get; } = tool;

    public override Tool ProtocolTool { get; } = Describe(tool.Listing);

    public override IReadOnlyList<object> Metadata => [];

    public static Tool Describe(ToolListing l) => new()
    {
        Name = l.Name,
        Title = l.Title,
        Description = l.Description,
        InputSchema = l.InputSchema,
        Annotations = new ToolAnnotations
        {
            Title = l.Hints.Title,
            ReadOnlyHint = l.Hints.ReadOnly,
            DestructiveHint = l.Hints.Destructive,
            IdempotentHint = l.Hints.Idempotent,
            OpenWorldHint = l.Hints.OpenWorld,
        },
    };

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default) =>
        Result(await Engine.CallAsync(Arguments(request.Params), new CallContext(new Confirmation(request.Server, request.Params, seal)), cancellationToken));

    public static IReadOnlyDictionary<string, JsonElement> Arguments(CallToolRequestParams? p) =>
        (IReadOnlyDictionary<string, JsonElement>?)p?.Arguments?.AsReadOnly() ?? new Dictionary<string, JsonElement>();

    public static CallToolResult Result(ToolAnswer answer)
    {
        var result = new CallToolResult
        {
            IsError = answer.IsError ? true : null,
            Content = [new TextContentBlock { Text = answer.Text }, .. answer.Notes.Select(n => new TextContentBlock { Text = n })],
            StructuredContent = answer.Structured,
            Meta = answer.Meta,
        };
        return result;
    }
}
