using StripeMcp.Policy;
using StripeMcp.Tools;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Pipeline;

/// <summary>
/// The one composition of what a caller sees, for every host alike: the enabled typed tools (none in compact mode) and
/// every enabled surface tool (<see cref="Inventory"/>), each under the caller's own policy and services.
/// </summary>
internal static class Composition
{
    /// <param name="receiving">Whether this server's webhook receiver takes deliveries (HTTP only).</param>
    public static EngineTool[] Tools(ToolServices services, bool receiving) =>
    [
        .. ToolPolicy.Published(services.Options).Select(t => new TypedTool(t, services)),
        .. GenericTool.For(services),
        .. ReceivedEventsTool.For(services, receiving),
        .. DocsSearchTool.For(services),
    ];
}
