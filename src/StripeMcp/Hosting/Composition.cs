using ModelContextProtocol.Server;
using StripeMcp.Tools;

namespace StripeMcp.Hosting;

/// <summary>
/// The one composition of what a caller sees, for stdio and HTTP alike: the enabled typed tools and every enabled
/// surface tool (<see cref="Inventory"/>), each under the caller's own policy and services.
/// </summary>
public static class Composition
{
    /// <param name="receiving">Whether this server's webhook receiver takes deliveries (HTTP only).</param>
    public static McpServerTool[] Tools(ToolServices services, bool receiving) =>
    [
        .. ToolPolicy.Enabled(services.Options).Select(t => new StripeTool(t, services)),
        .. Api.GenericTool.For(services),
        .. ReceivedEventsTool.For(services, receiving),
        .. Docs.DocsSearchTool.For(services),
    ];
}
