using Microsoft.AspNetCore.Connections;

namespace StripeMcp.Hosting;

/// <summary>Kestrel's bind failure for a port another process holds: a usage error, told in one line (exit 2).</summary>
internal static class PortInUse
{
    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is AddressInUseException) return true;
        return false;
    }

    public static string Message(string host, int port) =>
        $"port {port} on {host} is already in use (another stripe-mcp?); stop what holds it, or choose another with --port (0 picks a free one).";
}
