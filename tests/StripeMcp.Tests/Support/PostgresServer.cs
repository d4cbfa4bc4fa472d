using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the tests, started once per test run in a temporary folder on a loopback
/// port (initdb + pg_ctl, password authentication), stopped when the run ends. initdb refuses root: as
/// root, the server runs as the postgres user the Debian package creates. Each test takes a database of
/// its own (<see cref="NewDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer
{
    public const string User = "stripe_mcp_test", Password = "pg-test-password-Zq8";
    private static readonly Lazy<Task<PostgresServer>> Shared = new(StartAsync);
    private readonly string _dir, _data, _bin;
    private readonly string? _runAs;

    public int Port { get; }

    private PostgresServer(string dir, string bin, string? runAs, int port) =>
        (_dir, _data, _bin, _runAs, Port) = (dir, Path.Combine(dir, "data"), bin, runAs, port);

    /// <summary>A connection string to a new, empty database of the shared server.</summary>
    public static async Task<string> NewDatabaseAsync()
    {
        var server = await Shared.Value;
        var name = $"t_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server.ConnectionString("postgres")))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name};", admin);
            await create.ExecuteNonQueryAsync();
        }
        return server.ConnectionString(name);
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Database = database, Username = User, Password = Password, Pooling = false }.ToString();

    private static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "These tests need PostgreSQL's server programs (initdb, pg_ctl), which were not found on PATH or in /usr/lib/postgresql/*/bin: apt-get install postgresql (.ci/run does).");
        var runAs = Environment.UserName == "root" || geteuid() == 0 ? "postgres" : null;
        var dir = Path.Combine(Path.GetTempPath(), $"stripe-mcp-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        var pwfile = Path.Combine(dir, "pw");
        await File.WriteAllTextAsync(pwfile, Password + "\n");
        if (runAs is not null) await RunAsync("chown", ["-R", runAs, dir], null);
        var server = new PostgresServer(dir, bin, runAs, FreePort());
        await server.Pg("initdb", ["-D", server._data, "-U", User, "--auth=scram-sha-256", $"--pwfile={pwfile}", "-E", "UTF8", "--no-sync"]);
        await server.Pg("pg_ctl", ["-D", server._data, "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-p {server.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start"]);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        return server;
    }

    private void Stop()
    {
        try
        {
            Pg("pg_ctl", ["-D", _data, "-m", "immediate", "-w", "stop"]).Wait(TimeSpan.FromSeconds(20));
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception) { /* the run is ending; a leftover temp folder is harmless */ }
    }

    private Task Pg(string program, string[] args) => _runAs is null
        ? RunAsync(Path.Combine(_bin, program), args, null)
        : RunAsync("runuser", ["-u", _runAs, "--", Path.Combine(_bin, program), .. args], null);

    private static async Task RunAsync(string command, string[] args, string? stdin)
    {
        var psi = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetTempPath() };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{command} {string.Join(' ', args)} exited {p.ExitCode}: {await error} {await output}");
    }

    private static string? FindBin()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"))) return dir;
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}
