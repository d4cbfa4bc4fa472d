using System.Data.Common;
using Npgsql;

namespace StripeMcp.State;

/// <summary>
/// The shared store for several instances (behind a load balancer, on several machines): PostgreSQL through
/// Npgsql. Writers serialize on transaction-scoped advisory locks, one per scope, so instances racing for the
/// last of a total take turns while other accounts' calls go on. The connection string is never shown: the
/// description names only host, port, database and user.
/// </summary>
internal sealed class PostgresStateStore : SqlStateStore
{
    private readonly NpgsqlDataSource _source;
    private readonly string? _password;

    public override string Description { get; }

    private PostgresStateStore(NpgsqlConnectionStringBuilder b)
    {
        _password = b.Password;
        Description = $"PostgreSQL {b.Host}:{b.Port}/{b.Database}{(b.Username is { } u ? $" as {u}" : "")}";
        _source = NpgsqlDataSource.Create(b);
    }

    /// <summary>
    /// Parses a connection string (keywords, or a postgres:// URI); a problem names the keyword, never a value.
    /// </summary>
    public static NpgsqlConnectionStringBuilder Parse(string connection, string from)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = connection.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || connection.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
                ? FromUri(connection, from)
                : new NpgsqlConnectionStringBuilder(connection);
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword it does not know or cannot set; the value stays out of it.
            throw new StateUnavailable($"{from} is not a PostgreSQL connection string: {e.Message.Split('\n')[0]}");
        }
        if (string.IsNullOrEmpty(b.Host)) throw new StateUnavailable($"{from} names no Host (a connection string such as \"Host=db.internal;Database=stripe_mcp;Username=stripe_mcp;Password=…\")");
        if (!b.ContainsKey("Timeout")) b.Timeout = 5; // an unreachable database refuses a limited call within seconds
        b.ApplicationName ??= "stripe-mcp";
        return b;
    }

    private static NpgsqlConnectionStringBuilder FromUri(string text, string from)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0) throw new StateUnavailable($"{from} is not a valid postgres:// URI");
        var b = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0) b.Port = uri.Port;
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } db) b.Database = Uri.UnescapeDataString(db);
        if (uri.UserInfo.Split(':', 2) is [var user, ..] && user.Length > 0) b.Username = Uri.UnescapeDataString(user);
        if (uri.UserInfo.Split(':', 2) is [_, var password]) b.Password = Uri.UnescapeDataString(password);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            b[Uri.UnescapeDataString(kv[0]) is "sslmode" ? "SSL Mode" : Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return b;
    }

    /// <summary>Connects, and creates or migrates the schema (instances starting together take turns on its lock).</summary>
    public static async Task<PostgresStateStore> OpenAsync(string connection, string from, CancellationToken ct)
    {
        var store = new PostgresStateStore(Parse(connection, from));
        try
        {
            await using var c = await store.ConnectAsync(ct);
            await store.MigrateAsync(c, $"the PostgreSQL database ({store.Description})", ct);
            return store;
        }
        catch (Exception e) when (e is DbException or TimeoutException or IOException)
        {
            await store.DisposeAsync();
            throw new StateUnavailable($"the state store ({store.Description}) cannot be opened: {store.Failure(e)}", e);
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbConnection> ConnectAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct);

    protected override async Task LockAsync(DbConnection c, DbTransaction tx, string name, CancellationToken ct) =>
        await Exec(c, tx, "SELECT pg_advisory_xact_lock(hashtextextended(@name, 0));", ct, ("name", "stripe-mcp/" + name));

    protected override string Failure(Exception e)
    {
        var text = e is PostgresException pg ? $"{pg.SqlState}: {pg.MessageText}" : e.Message;
        return _password is { Length: > 0 } p ? text.Replace(p, "***") : text;
    }

    public override async ValueTask DisposeAsync() => await _source.DisposeAsync();
}
