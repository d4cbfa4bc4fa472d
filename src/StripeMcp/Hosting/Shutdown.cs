using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;

namespace StripeMcp.Hosting;

/// <summary>
/// SIGINT/SIGTERM for every mode. The first one cancels <see cref="Requested"/>: stop taking work, let what
/// is in flight finish (up to <see cref="Grace"/>), exit 0. A second one is passed on to System.CommandLine,
/// which ends the process (130/143). Nothing else in the process takes these signals: the runtime hands a
/// signal to the newest handler only when it cancels, so a Kestrel app's own console lifetime would swallow
/// it (see <see cref="NoSignals"/>).
/// </summary>
internal sealed class Shutdown : IDisposable
{
    /// <summary>Exit code when nothing starts: a configuration that does not validate, a port in use.</summary>
    public const int ConfigError = 2;

    /// <summary>How long calls in flight get once a stop is asked; docker stop waits 10 s before SIGKILL.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _requested;
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    /// <summary>Cancelled by the first SIGINT/SIGTERM, or when <c>ct</c> is.</summary>
    public CancellationToken Requested => _requested.Token;

    private Shutdown(CancellationToken ct, bool signals)
    {
        _requested = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _registrations = signals ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal), PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal)] : [];
    }

    /// <param name="signals">Whether the process's signals stop it (<see cref="ProcessIo.Signals"/>); else only <paramref name="ct"/> does.</param>
    public static Shutdown Listen(CancellationToken ct, bool signals) => new(ct, signals);

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1) return; // not cancelled: the next handler ends the process
        context.Cancel = true;
        _requested.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _requested.Dispose();
    }

    /// <summary>
    /// A host lifetime that takes no signals, for every WebApplication here (the HTTP server, the sandbox): its
    /// default ConsoleLifetime would take SIGINT/SIGTERM first and stop only its own host, leaving the process running.
    /// </summary>
    public sealed class NoSignals : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
