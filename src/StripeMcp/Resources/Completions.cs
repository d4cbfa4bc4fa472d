using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Docs;
using StripeMcp.Prompts;
using StripeMcp.Mcp;

namespace StripeMcp.Resources;

/// <summary>
/// completion/complete: ids for an object template's {id} and for a prompt's id arguments (the newest objects of that
/// kind, through the caller's own list tool, filtered by what is typed), a guide's topic, and a prompt argument's
/// choices. Anything else completes to nothing; nothing here reads what the caller's tools would not.
/// </summary>
internal static class Completions
{
    public static void Install(McpServerOptions options, StripeResources resources, IReadOnlyList<PromptDefinition> prompts)
    {
        options.Capabilities = Capabilities.Copy(options.Capabilities);
        options.Capabilities.Completions = new CompletionsCapability();
        options.Handlers.CompleteHandler = async (request, ct) =>
        {
            var typed = request.Params?.Argument?.Value ?? "";
            var argument = request.Params?.Argument?.Name ?? "";
            IReadOnlyList<string> values = [];
            switch (request.Params?.Ref)
            {
                case ResourceTemplateReference { Uri: { } uri } when uri == Guides.UriPrefix + "{topic}" && argument == "topic":
                    values = [.. Guides.All.Select(g => g.Topic).Where(t => t.StartsWith(typed, StringComparison.Ordinal))];
                    break;
                case ResourceTemplateReference { Uri: { } uri } when argument == "id" && StripeResources.CollectionOfTemplate(uri) is { } collection:
                    values = await resources.IdsAsync(request, collection, typed, ct);
                    break;
                case PromptReference { Name: { } name } when prompts.FirstOrDefault(p => p.Name == name)?.Args.FirstOrDefault(a => a.Name == argument) is { } arg:
                    if (arg.Choices is { } choices) values = [.. choices.Where(c => c.StartsWith(typed, StringComparison.Ordinal))];
                    else if (arg.IdPrefix is { } prefix && resources.CollectionOf(prefix) is { } of) values = await resources.IdsAsync(request, of, typed, ct);
                    break;
            }
            return new CompleteResult { Completion = new Completion { Values = [.. values.Take(100)], Total = values.Count, HasMore = values.Count > 100 } };
        };
    }
}
