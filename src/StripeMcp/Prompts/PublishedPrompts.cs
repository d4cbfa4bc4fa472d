using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Mcp;

namespace StripeMcp.Prompts;

/// <summary>
/// Puts the prompts a policy can run on an MCP server: a prompt is listed, and can be got, only when every tool
/// group it needs is published for this caller. Arguments are checked (<see cref="PromptArg.Problem"/>) before
/// anything is written; a refusal names each one.
/// </summary>
internal static class PublishedPrompts
{
    /// <returns>The prompts it published.</returns>
    public static IReadOnlyList<PromptDefinition> Install(McpServerOptions options, IEnumerable<StripeMcp.Tools.EngineTool> tools)
    {
        var names = tools.Select(t => t.Listing.Name).ToHashSet();
        var available = PromptCatalog.All.Where(p => p.AvailableWith(names)).ToDictionary(p => p.Name);
        options.Capabilities = Capabilities.Copy(options.Capabilities);
        options.Capabilities.Prompts = new PromptsCapability();
        options.Handlers.ListPromptsHandler = (_, _) => ValueTask.FromResult(new ListPromptsResult
        {
            Prompts = [.. available.Values.Select(Protocol)],
        });
        options.Handlers.GetPromptHandler = (request, _) =>
        {
            var name = request.Params?.Name ?? "";
            if (!available.TryGetValue(name, out var prompt))
                throw new McpProtocolException($"Unknown prompt: '{name}'. prompts/list has the prompts this server's tools can run" +
                    (PromptCatalog.Find(name) is not null ? " (this one needs tools this caller does not have)." : "."), McpErrorCode.InvalidParams);
            var given = request.Params?.Arguments ?? new Dictionary<string, System.Text.Json.JsonElement>();
            var args = given.Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String).ToDictionary(p => p.Key, p => p.Value.GetString()!);
            var problems = given.Keys.Where(k => prompt.Args.All(a => a.Name != k))
                .Select(k => $"{k}: unknown argument; allowed: {string.Join(", ", prompt.Args.Select(a => a.Name))}")
                .Concat(given.Where(p => p.Value.ValueKind != System.Text.Json.JsonValueKind.String && prompt.Args.Any(a => a.Name == p.Key)).Select(p => $"{p.Key}: must be a string"))
                .Concat(prompt.Args.Where(a => !given.ContainsKey(a.Name) || args.ContainsKey(a.Name)).Select(a => a.Problem(args.GetValueOrDefault(a.Name))).OfType<string>())
                .ToList();
            if (problems.Count > 0)
                throw new McpProtocolException($"Invalid arguments for prompt {name}: {string.Join("; ", problems)}", McpErrorCode.InvalidParams);
            var text = prompt.Render(new PromptText(args, names));
            return ValueTask.FromResult(new GetPromptResult
            {
                Description = prompt.Description,
                Messages = [new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = text } }],
            });
        };
        return [.. available.Values];
    }

    public static Prompt Protocol(PromptDefinition p) => new()
    {
        Name = p.Name,
        Title = p.Title,
        Description = p.Description,
        Arguments = [.. p.Args.Select(a => new PromptArgument { Name = a.Name, Description = a.Description, Required = a.Required ? true : null })],
    };
}
