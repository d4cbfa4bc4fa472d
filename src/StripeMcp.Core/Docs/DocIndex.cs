using System.Reflection;
using System.Text;
using Microsoft.Data.Sqlite;
using StripeMcp.Api;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Docs;

/// <summary>One thing the search can find.</summary>
/// <param name="Kind">guide, tool, operation or object.</param>
/// <param name="Ref">What it is: a guide's URI, a tool's name, an operation's id, an object's name.</param>
/// <param name="Permission">What calling it needs (tools and operations).</param>
/// <param name="Summary">An operation's first sentence, what stripe_api_search shows (kept so that showing it reads no XML).</param>
/// <param name="Destructive">Whether an operation ends something for good (kept for stripe_api_search's results).</param>
internal sealed record DocEntry(string Kind, string Ref, string Title, string Body, string? Permission = null, string? Request = null, string? Summary = null, bool Destructive = false);

/// <summary>A search result: the entry (without its body), its rank and a snippet with the question's words in it.</summary>
internal sealed record DocHit(DocEntry Entry, double Score, string Snippet);

/// <summary>
/// The documentation index, built offline at first use from (a) our guides, (b) the API reference of the API version
/// we speak as the Stripe.net package documents it (every operation with its parameters, every object with its
/// fields, from Stripe.net.xml at run time), (c) our tool catalog. Searched with SQLite's FTS5 (Porter stemming, BM25
/// with titles weighted over bodies): the search engine ships inside the SQLite we already use. Built once per
/// build of ours and of Stripe.net and kept in the user's cache folder (<see cref="DocIndexFile"/>), so a process
/// that searches reads neither the XML nor the catalog's reflection to answer; in memory where no file can be kept.
/// </summary>
internal sealed class DocIndex : IDisposable
{
    private static readonly Lazy<DocIndex> Shared = new(() => DocIndexFile.Open(Entries));

    public static DocIndex Instance => Shared.Value;

    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    /// <summary>An index over an open database that <see cref="Write"/> filled.</summary>
    internal DocIndex(SqliteConnection db)
    {
        _db = db;
        using var count = _db.CreateCommand();
        count.CommandText = "SELECT count(*) FROM entries;";
        Count = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>An index of these entries, in memory.</summary>
    public static DocIndex InMemory(IEnumerable<DocEntry> entries, string key = "memory")
    {
        var db = new SqliteConnection("Data Source=:memory:");
        db.Open();
        Write(db, entries, key);
        return new DocIndex(db);
    }

    /// <summary>Writes the index of these entries into an empty database, with the key it was built for.</summary>
    internal static void Write(SqliteConnection db, IEnumerable<DocEntry> entries, string key)
    {
        using var tx = db.BeginTransaction();
        Exec(db, tx, "CREATE TABLE meta (key TEXT NOT NULL);");
        Exec(db, tx, "CREATE TABLE entries (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, ref TEXT NOT NULL, title TEXT NOT NULL, permission TEXT, request TEXT, summary TEXT, destructive INTEGER NOT NULL);");
        Exec(db, tx, "CREATE INDEX entries_ref ON entries (ref);");
        Exec(db, tx, "CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61');");
        using (var meta = db.CreateCommand())
        {
            meta.Transaction = tx;
            meta.CommandText = "INSERT INTO meta (key) VALUES ($key);";
            meta.Parameters.AddWithValue("$key", key);
            meta.ExecuteNonQuery();
        }
        using var entry = db.CreateCommand();
        entry.Transaction = tx;
        entry.CommandText = "INSERT INTO entries (id, kind, ref, title, permission, request, summary, destructive) VALUES ($id, $kind, $ref, $title, $permission, $request, $summary, $destructive);";
        var e = new[] { "$id", "$kind", "$ref", "$title", "$permission", "$request", "$summary", "$destructive" }.Select(n => entry.Parameters.Add(n, n is "$id" or "$destructive" ? SqliteType.Integer : SqliteType.Text)).ToArray();
        using var doc = db.CreateCommand();
        doc.Transaction = tx;
        doc.CommandText = "INSERT INTO docs (rowid, title, body) VALUES ($id, $title, $body);";
        var (id, title, body) = (doc.Parameters.Add("$id", SqliteType.Integer), doc.Parameters.Add("$title", SqliteType.Text), doc.Parameters.Add("$body", SqliteType.Text));
        var i = 0;
        foreach (var x in entries)
        {
            (e[0].Value, e[1].Value, e[2].Value, e[3].Value, e[4].Value, e[5].Value, e[6].Value) =
                (i, x.Kind, x.Ref, x.Title, (object?)x.Permission ?? DBNull.Value, (object?)x.Request ?? DBNull.Value, (object?)x.Summary ?? DBNull.Value);
            e[7].Value = x.Destructive ? 1 : 0;
            entry.ExecuteNonQuery();
            (id.Value, title.Value, body.Value) = (i, Words(x.Title + " " + x.Ref), Words(x.Body));
            doc.ExecuteNonQuery();
            i++;
        }
        tx.Commit();
    }

    /// <summary>The key the index was built for (<see cref="DocIndexFile"/>'s check that a kept file is current).</summary>
    internal static string? KeyOf(SqliteConnection db)
    {
        using var c = db.CreateCommand();
        c.CommandText = "SELECT key FROM meta;";
        return c.ExecuteScalar() as string;
    }

    public int Count { get; }

    private IReadOnlyList<OperationRow>? _operations;
    private Dictionary<string, OperationRow>? _byId, _byKey;

    /// <summary>Every operation of the catalog, as the gate sees it (<see cref="OperationRow"/>), read from the index.</summary>
    public IReadOnlyList<OperationRow> OperationRows
    {
        get
        {
            lock (_gate)
            {
                if (_operations is { } read) return read;
                using var c = _db.CreateCommand();
                c.CommandText = "SELECT ref, request, permission, destructive FROM entries WHERE kind = 'operation' ORDER BY id;";
                using var r = c.ExecuteReader();
                var rows = new List<OperationRow>();
                while (r.Read())
                {
                    var request = r.GetString(1).Split(' ', 2);
                    rows.Add(new OperationRow(r.GetString(0), HttpMethod.Parse(request[0]), request[1], r.GetString(2), r.GetInt64(3) != 0));
                }
                _byId = rows.ToDictionary(o => o.Id);
                _byKey = rows.ToDictionary(o => Amounts.MoneyOperations.Key(o.Method, o.Path));
                return _operations = rows;
            }
        }
    }

    /// <summary>An operation by its id (PostRefunds) or its request's key ("POST /v1/refunds", a typed tool's Operation).</summary>
    public OperationRow? Operation(string idOrKey)
    {
        _ = OperationRows;
        return _byId!.GetValueOrDefault(idOrKey) ?? _byKey!.GetValueOrDefault(idOrKey);
    }

    /// <summary>An operation's first sentence, as the index keeps it.</summary>
    public string? Summary(string operation)
    {
        lock (_gate)
        {
            using var c = _db.CreateCommand();
            c.CommandText = "SELECT summary FROM entries WHERE ref = $ref AND kind = 'operation';";
            c.Parameters.AddWithValue("$ref", operation);
            return c.ExecuteScalar() as string;
        }
    }

    /// <summary>How much an entry that does what the question wants (lists, reads, creates, changes, ends) is lifted.</summary>
    private const double IntentWeight = 1.5;

    /// <summary>The best <paramref name="limit"/> entries for a question, best first, of the kinds asked (null: all).</summary>
    /// <param name="snippets">Whether each hit gets a snippet of its body with the question's words (made for the hits kept only).</param>
    public IReadOnlyList<DocHit> Search(string question, int limit, Func<DocEntry, bool>? keep = null, bool snippets = true)
    {
        var asked = Question.Parse(question);
        var terms = asked.Terms;
        if (terms.Count == 0) return [];
        lock (_gate)
        {
            using var q = _db.CreateCommand();
            // Every word may match (OR); BM25 ranks entries with more of them, and rarer ones, first. Titles weigh 10×.
            q.CommandText = "SELECT e.kind, e.ref, e.title, e.permission, e.request, bm25(docs, 10.0, 1.0), e.id FROM docs JOIN entries e ON e.id = docs.rowid WHERE docs MATCH $q ORDER BY bm25(docs, 10.0, 1.0) LIMIT 200;";
            var match = string.Join(" OR ", terms.Select(t => $"\"{t}\""));
            q.Parameters.AddWithValue("$q", match);
            var hits = new List<(DocHit Hit, long Id)>();
            using (var r = q.ExecuteReader())
            while (r.Read())
            {
                var entry = new DocEntry(r.GetString(0), r.GetString(1), r.GetString(2), "", r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4));
                if (keep is null || keep(entry))
                    hits.Add((new DocHit(entry, -r.GetDouble(5) * (1 + 0.5 * InTitle(terms, entry)) * (Named(terms, entry) ? 1.5 : 1)
                        * (asked.Wants != Intent.None && Question.IntentOf(entry) == asked.Wants ? IntentWeight : 1)
                        * (!asked.Testing && entry.Request?.Contains("/test_helpers/", StringComparison.Ordinal) == true ? 0.5 : 1), ""), r.GetInt64(6)));
            }
            // BM25 weighs a word by its rarity, so a word every operation has (customer, account) counts for little even in
            // a title; the question's words in the title (what an entry is about) lift it.
            var best = hits.OrderByDescending(h => h.Hit.Score).Take(limit).ToList();
            if (!snippets) return [.. best.Select(h => h.Hit)];
            using var s = _db.CreateCommand();
            s.CommandText = "SELECT snippet(docs, 1, '', '', '…', 24) FROM docs WHERE docs MATCH $q AND rowid = $id;";
            s.Parameters.AddWithValue("$q", match);
            var id = s.Parameters.Add("$id", SqliteType.Integer);
            return [.. best.Select(h =>
            {
                id.Value = h.Id;
                return h.Hit with { Snippet = s.ExecuteScalar() as string ?? "" };
            })];
        }
    }

    /// <summary>
    /// The operations that answer a question, best first, among those <paramref name="among"/> keeps: stripe_api_search's
    /// ranking is this index's (an operation found through its typed tool's entry counts as found).
    /// </summary>
    public IReadOnlyList<OperationRow> Operations(string question, int limit, Func<OperationRow, bool> among) =>
        [.. Search(question, 200, e => e.Kind is "operation" or "tool", snippets: false)
            .Select(h => h.Entry.Kind == "operation" ? Operation(h.Entry.Ref) : ToolCatalog.Find(h.Entry.Ref) is { } t ? Operation(t.Operation) : null)
            .OfType<OperationRow>().Where(among).Distinct().Take(limit)];

    /// <summary>How many of the question's words an entry's title holds (a word matches a title word it begins, past plural and -ed/-ing endings).</summary>
    private static int InTitle(IReadOnlyList<string> terms, DocEntry entry)
    {
        var title = Words(entry.Title + " " + entry.Ref).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return terms.Count(t => title.Any(w => w == t || (Root(t).Length >= 4 && w.StartsWith(Root(t), StringComparison.Ordinal)) || (Root(w).Length >= 4 && t.StartsWith(Root(w), StringComparison.Ordinal))));
    }

    /// <summary>Whether the question names the entry itself: every word of its name (Customer, retrieve_balance, GetBalance) is in it.</summary>
    private static bool Named(IReadOnlyList<string> terms, DocEntry entry)
    {
        var words = Words(entry.Kind == "guide" ? entry.Ref[(entry.Ref.LastIndexOf('/') + 1)..] : entry.Ref).ToLowerInvariant()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => w is not ("get" or "post" or "delete" or "v1")).ToList();
        return words.Count > 0 && words.All(w => terms.Any(t => t == w || Root(t) == Root(w)));
    }

    private static string Root(string w) =>
        w.EndsWith("ing", StringComparison.Ordinal) && w.Length > 5 ? w[..^3] : w.EndsWith("ed", StringComparison.Ordinal) && w.Length > 4 ? w[..^2] : w.EndsWith('s') && w.Length > 3 ? w[..^1] : w;

    /// <summary>Text as words: snake_case and camelCase split, so "payment_intent" and "PaymentIntent" both hold "payment intent".</summary>
    internal static string Words(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            if (char.IsLetterOrDigit(ch))
            {
                if (char.IsUpper(ch) && i > 0 && char.IsLower(text[i - 1])) sb.Append(' ');
                sb.Append(ch);
            }
            else sb.Append(' ');
        }
        return sb.ToString();
    }

    private static void Exec(SqliteConnection db, SqliteTransaction tx, string sql)
    {
        using var c = db.CreateCommand();
        c.Transaction = tx;
        c.CommandText = sql;
        c.ExecuteNonQuery();
    }

    public void Dispose() => _db.Dispose();

    /// <summary>Everything the index holds: guides, tools, operations, objects.</summary>
    public static IEnumerable<DocEntry> Entries()
    {
        foreach (var g in Guides.All) yield return new DocEntry("guide", g.Uri, g.Title, g.Text);
        foreach (var t in ToolCatalog.All)
            yield return new DocEntry("tool", t.Name, $"{t.Title} tool", t.Description + " " + string.Join(" ", t.Params.Select(p => p.Name + " " + p.Description)),
                t.Permission, $"{t.Method.Method} {t.Path}");
        var objects = new Dictionary<Type, string>();
        foreach (var op in ApiCatalog.All)
        {
            var parameters = ApiParameters.Of(op.OptionsType, depth: 2);
            yield return new DocEntry("operation", op.Id, $"{op.Method.Method} {op.Path}", $"{op.Summary} {Flatten(parameters)}", op.Permission, $"{op.Method.Method} {op.Path}", op.FirstSentence, op.Destructive);
            if (Returned(op.ServiceMethod) is { } type && !objects.ContainsKey(type)) objects[type] = op.Path;
        }
        foreach (var (type, path) in objects)
            yield return new DocEntry("object", type.Name, $"The {type.Name} object", $"{XmlDocs.Type(type)} " + string.Join(" ", type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Select(p => (Name: p.GetCustomAttribute<Newtonsoft.Json.JsonPropertyAttribute>()?.PropertyName, Doc: XmlDocs.Property(p)))
                .Where(p => p.Name is not null).Select(p => $"{p.Name}: {p.Doc}")), Request: path);
    }

    private static string Flatten(IReadOnlyList<ApiParameter> parameters, int depth = 0) => depth > 2 ? "" :
        string.Join(" ", parameters.Select(p => $"{p.Name}: {p.Description} {(p.Enum is { } e ? string.Join(" ", e) : "")} {Flatten(p.Properties ?? [], depth + 1)}"));

    /// <summary>The Stripe object a service method answers with (Task&lt;Customer&gt; → Customer), lists and search results left out.</summary>
    private static Type? Returned(MethodInfo m)
    {
        var t = m.ReturnType;
        if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Task<>)) t = t.GetGenericArguments()[0];
        return t.Namespace == "Stripe" && !t.IsGenericType && typeof(global::Stripe.StripeEntity).IsAssignableFrom(t) ? t : null;
    }
}
