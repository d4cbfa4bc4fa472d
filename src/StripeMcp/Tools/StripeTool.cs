using System.Text.Json;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Configuration;
using StripeMcp.Stripe;

namespace StripeMcp.Tools;

/// <summary>
/// A row of the table as the MCP SDK sees it. A call goes: check the arguments against the row
/// (nothing is sent on bad input) → the row's one Stripe call through the gateway → the whole
/// object, compacted, as text and structuredContent; or Stripe's error as an isError result.
/// </summary>
public sealed class StripeTool(ToolDefinition definition, StripeGateway gateway, ServerOptions options) : McpServerTool
{
    private static readonly JsonElement ObjectSchema = JsonDocument.Parse("""{"type":"object"}""").RootElement.Clone();

    public ToolDefinition Definition { get; } = definition;

    public override Tool ProtocolTool { get; } = ToProtocolTool(definition);

    public override IReadOnlyList<object> Metadata => [];

    public static Tool ToProtocolTool(ToolDefinition d) => new()
    {
        Name = d.Name,
        Title = d.Title,
        Description = d.Description,
        InputSchema = JsonSerializer.SerializeToElement(d.InputSchema()),
        OutputSchema = ObjectSchema,
        Annotations = new ToolAnnotations
        {
            Title = d.Title,
            ReadOnlyHint = d.ReadOnly,
            DestructiveHint = d.Destructive,
            IdempotentHint = d.Idempotent,
            OpenWorldHint = true,
        },
    };

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var args = (IReadOnlyDictionary<string, JsonElement>?)request.Params?.Arguments?.AsReadOnly()
                   ?? new Dictionary<string, JsonElement>();
        var problems = Definition.Validate(args);
        if (problems.Count > 0) return Error(ErrorJson.InvalidArguments(Definition.Name, problems));

        var requested = args.TryGetValue(ToolDefinition.AccountArgument, out var a) && Definition.PerCallAccount ? a.GetString() : null;
        var (account, refused) = ToolPolicy.AccountFor(options, requested);
        if (refused is not null) return Error(ErrorJson.InvalidArguments(Definition.Name, [refused]));

        var outcome = await gateway.SendAsync(Definition.Name, Definition.Method, Definition.ResolvePath(args),
            FormEncoder.Encode(Definition.Fields(args)), account, cancellationToken);
        if (!outcome.Ok) return Error(outcome.Json);

        var shaped = ResultShaper.Shape(outcome.Json);
        var text = Redactor.Redact(System.Text.Encoding.UTF8.GetString(shaped));
        using var structured = JsonDocument.Parse(text.Length == shaped.Length ? shaped : System.Text.Encoding.UTF8.GetBytes(text));
        return new CallToolResult
        {
            Content = [new TextContentBlock { Text = text }],
            StructuredContent = structured.RootElement.Clone(),
        };
    }

    private static CallToolResult Error(string json) => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = json }],
    };
}
