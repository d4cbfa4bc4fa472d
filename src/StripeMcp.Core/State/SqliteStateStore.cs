using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace StripeMcp.State;

/// <summary>
/// The default store: one SQLite file in the user's state directory, shared by every server process
/// of that user (Claude Desktop starts one per session). Every writer's transaction is IMMEDIATE, so it
/// holds the file's write lock from its first statement: processes racing on the file take turns; WAL
/// lets readers go on meanwhile.
/// </summary>
internal sealed class SqliteStateStore : SqlStateStore
{
    private readonly string _connectionString;

    public override string Description { get; }

    private SqliteStateStore(string path)
    {
        Description = $"SQLite {path}";
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>Opens (creating or migrating) the file; a problem is <see cref="StateUnavailable"/> naming the path.</summary>
    public static async Task<SqliteStateStore> OpenAsync(string path, CancellationToken ct)
    {
        try
        {
            // It holds audit records and the signing secrets kept for this server's receiver: a new folder and file are
            // the user's alone (SQLite gives its -wal and -shm files the database file's mode).
            var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(folder);
            else if (!Directory.Exists(folder)) Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            if (!OperatingSystem.IsWindows() && !File.Exists(path))
            {
                try
                {
                    using (File.Open(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite })) { }
                }
                catch (IOException) when (File.Exists(path))
                {
                    // another process created it first: theirs is the file
                }
            }
            Tighten(path);
            var store = new SqliteStateStore(path);
            await using var c = await store.ConnectAsync(ct);
            await Exec(c, null, "PRAGMA journal_mode=WAL;", ct);
            await store.MigrateAsync(c, $"the state file {path}", ct);
            return store;
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            throw new StateUnavailable($"the state file {path} cannot be opened: {e.Message}", e);
        }
    }

    /// <summary>
    /// A state file from before it held secrets may be readable by others: its file and SQLite's -wal and -shm files
    /// are made the owner's alone (the folder is left as it is: it may be anyone's, /tmp say).
    /// </summary>
    private static void Tighten(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            if (File.Exists(file) && (File.GetUnixFileMode(file) & others) != 0)
                File.SetUnixFileMode(file, File.GetUnixFileMode(file) & ~others);
    }

    protected override async Task<DbConnection> ConnectAsync(CancellationToken ct)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(ct);
        return c;
    }

    // Microsoft.Data.Sqlite begins transactions IMMEDIATE: the file's write lock is already held.
    protected override Task LockAsync(DbConnection c, DbTransaction tx, string name, CancellationToken ct) => Task.CompletedTask;

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
