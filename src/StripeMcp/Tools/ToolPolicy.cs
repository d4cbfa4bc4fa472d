using StripeMcp.Configuration;

namespace StripeMcp.Tools;

/// <summary>
/// The one place that decides which tools exist for this server, in a fixed order:
/// (1) allowed = its permission is in the allow-list, or its name is in tools.allow;
/// (2) minus tools.deny; (3) with read-only, minus every tool that is not readOnly.
/// Deny and read-only always win. A tool that is not enabled is neither listed nor callable.
/// </summary>
public static class ToolPolicy
{
    public static bool IsEnabled(ToolDefinition tool, ServerOptions options) =>
        (options.Permissions.Contains(tool.Permission) || options.AllowTools.Contains(tool.Name))
        && !options.DenyTools.Contains(tool.Name)
        && (!options.ReadOnly || tool.ReadOnly);

    public static IReadOnlyList<ToolDefinition> Enabled(ServerOptions options) =>
        ToolCatalog.All.Where(t => IsEnabled(t, options)).ToList();
}
