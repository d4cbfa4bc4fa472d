using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Configuration;
using StripeMcp.Mcp;
using StripeMcp.Pipeline;
using StripeMcp.Policy;
using StripeMcp.Prompts;
using StripeMcp.Resources;
using StripeMcp.Tools;

namespace StripeMcp.Hosting;

/// <summary>
/// What one caller sees over MCP: the engine's tools for its policy, the resources made of them, and the seal of its
/// input-required confirmations (built once per caller, not per session or request).
/// </summary>
internal sealed record McpCaller(EngineTool[] Tools, StripeResources Resources, ServerOptions Options, ConfirmationSeal Seal)
{
    /// <param name="receiving">Whether this server's webhook receiver takes deliveries (HTTP only).</param>
    public static McpCaller For(ToolServices services, bool receiving)
    {
        var tools = Composition.Tools(services, receiving);
        StartupTrace.Mark("caller tools");
        var resources = new StripeResources(tools, services);
        StartupTrace.Mark("caller resources");
        return new McpCaller(tools, resources, services.Options, ConfirmationSeal.For(services.Options.ApiKey));
    }
}

/// <summary>
/// The one composition of the MCP server, for stdio and Streamable HTTP alike: the options every server of ours
/// starts from, and what each caller's session is given. A transport adds only how messages arrive.
/// </summary>
internal static class McpComposition
{
    public static Implementation ServerInfo => new() { Name = "stripe-mcp", Title = "Stripe (StripeMcp)", Version = ThisAssembly.Version };

    /// <param name="logging">Whether the transport sends log notifications (stdio only).</param>
    /// <param name="sessions">Whether an initialize client gets a session (stdio, stateful HTTP).</param>
    public static void Configure(McpServerOptions o, ServerOptions options, bool logging, bool sessions)
    {
        o.ServerInfo = ServerInfo;
        o.ServerInstructions = Instructions.For(options);
        // Declared even when no tool is enabled, so clients get an empty list rather than an error.
        o.Capabilities = new ServerCapabilities { Tools = new ToolsCapability() };
        o.Filters.Message.OutgoingFilters.Add(Capabilities.AsSent(logging, sessions));
        o.Filters.Message.OutgoingFilters.Add(RedactedErrors.Filter);
        NoTasks.Install(o);
    }

    /// <summary>A caller's tools, resources, prompts and completions on its server (stdio) or session (HTTP).</summary>
    /// <param name="name">Who the caller is for the audit of a call to a tool it does not have (null on stdio).</param>
    /// <param name="overHttp">Over HTTP a notification reaches a client outside a request only in its session.</param>
    public static void Install(McpServerOptions o, McpCaller caller, EventFeed feed, AuditTrail audit, string? name, bool overHttp)
    {
        PublishedTools.Install(o, caller.Tools, caller.Seal, audit, name);
        PublishedResources.Install(o, caller.Resources, feed, overHttp);
        Completions.Install(o, caller.Resources, PublishedPrompts.Install(o, caller.Tools));
    }
}
