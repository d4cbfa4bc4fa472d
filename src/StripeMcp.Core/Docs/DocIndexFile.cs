using Microsoft.Data.Sqlite;

namespace StripeMcp.Docs;

/// <summary>
/// Where the documentation index is kept between processes: one SQLite file in the user's cache folder
/// (XDG_CACHE_HOME or ~/.cache/stripe-mcp; ~/Library/Caches/stripe-mcp; %LOCALAPPDATA%\stripe-mcp\cache), named and
/// checked by a key of the builds it was made from (this engine's and Stripe.net's module ids, and the size of
/// Stripe.net.xml), opened read-only. The first search of a build writes it (to a temporary file, then renamed, so a
/// process never reads half a file); files of other builds are removed then. Where no file can be written or read
/// (a read-only disk, no home folder), the index is built in memory as before: slower to start, same answers.
/// </summary>
internal static class DocIndexFile
{
    public static DocIndex Open(Func<IEnumerable<DocEntry>> entries) => Open(entries, Folder(Environment.GetEnvironmentVariable));

    internal static DocIndex Open(Func<IEnumerable<DocEntry>> entries, string? folder)
    {
        var key = Key();
        if (folder is null) return DocIndex.InMemory(entries(), key);
        var path = Path.Combine(folder, $"docs-{key}.db");
        if (TryOpen(path, key) is { } kept) return kept;
        try
        {
            Directory.CreateDirectory(folder);
            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            using (var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = temporary, Pooling = false }.ToString()))
            {
                db.Open();
                DocIndex.Write(db, entries(), key);
            }
            File.Move(temporary, path, overwrite: true);
            foreach (var old in Directory.EnumerateFiles(folder, "docs-*.db").Where(f => f != path))
                try { File.Delete(old); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            return TryOpen(path, key) ?? DocIndex.InMemory(entries(), key);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            return DocIndex.InMemory(entries(), key);
        }
    }

    private static DocIndex? TryOpen(string path, string key)
    {
        if (!File.Exists(path)) return null;
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            db.Open();
            if (DocIndex.KeyOf(db) == key) return new DocIndex(db);
        }
        catch (SqliteException)
        {
        }
        db.Dispose();
        return null;
    }

    /// <summary>What the index is made from: a new build of either assembly, or another Stripe.net.xml, makes another key.</summary>
    internal static string Key()
    {
        var ours = typeof(DocIndexFile).Assembly.ManifestModule.ModuleVersionId;
        var stripe = typeof(global::Stripe.Service).Assembly.ManifestModule.ModuleVersionId;
        var xml = Api.XmlDocs.Locate() is { } file ? new FileInfo(file).Length : 0;
        return $"{ours:N}"[..12] + "-" + $"{stripe:N}"[..8] + "-" + xml.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The user's cache folder for stripe-mcp, or null when there is no home to keep it in.</summary>
    internal static string? Folder(Func<string, string?> env)
    {
        if (OperatingSystem.IsWindows())
            return env("LOCALAPPDATA") is { Length: > 0 } local ? Path.Combine(local, "stripe-mcp", "cache") : null;
        var home = env("HOME") is { Length: > 0 } h && Path.IsPathRooted(h) ? h : null;
        if (OperatingSystem.IsMacOS()) return home is null ? null : Path.Combine(home, "Library", "Caches", "stripe-mcp");
        var xdg = env("XDG_CACHE_HOME") is { Length: > 0 } x && Path.IsPathRooted(x) ? x : home is null ? null : Path.Combine(home, ".cache");
        return xdg is null ? null : Path.Combine(xdg, "stripe-mcp");
    }
}
