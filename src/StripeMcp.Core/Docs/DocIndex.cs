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
internal sealed record DocEntry(string Kind, string Ref, string Title, string Body, string? Permission = null, string? Request = null);

/// <summary>A search result: the entry, its rank and a snippet with the question's words in it.</summary>
internal sealed record DocHit(DocEntry Entry, double Score, string Snippet);

/// <summary>
/// The documentation index, built offline at first use from (a) our guides, (b) the API reference of the API version
/// we speak as the Stripe.net package documents it (every operation with its parameters, every object with its
/// fields, from Stripe.net.xml at run time), (c) our tool catalog. Searched with SQLite's FTS5 (in memory, Porter
/// stemming, BM25 with titles weighted over bodies): the search engine ships inside the SQLite we already use.
/// </summary>
internal sealed class DocIndex : IDisposable
{
    private static readonly Lazy<DocIndex> Shared = new(() => new DocIndex(Entries()));

    public static DocIndex Instance => Shared.Value;

    private readonly SqliteConnection _db;
    private readonly List<DocEntry> _entries;
    private readonly Lock _gate = new();

    public DocIndex(IEnumerable<DocEntry> entries)
    {
        _entries = [.. entries];
        _db = new SqliteConnection("Data Source=:memory:");
        _db.Open();
        using var tx = _db.BeginTransaction();
        Exec("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='porter unicode61');", tx);
        using var insert = _db.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO docs (rowid, title, body) VALUES ($id, $title, $body);";
        var (id, title, body) = (insert.Parameters.Add("$id", SqliteType.Integer), insert.Parameters.Add("$title", SqliteType.Text), insert.Parameters.Add("$body", SqliteType.Text));
        for (var i = 0; i < _entries.Count; i++)
        {
            (id.Value, title.Value, body.Value) = (i, Words(_entries[i].Title + " " + _entries[i].Ref), Words(_entries[i].Body));
            insert.ExecuteNonQuery();
        }
        tx.Commit();
    }

    public int Count => _entries.Count;

    /// <summary>How much an entry that does what the question wants (lists, reads, creates, changes, ends) is lifted.</summary>
    private const double IntentWeight = 1.5;

    /// <summary>The best <paramref name="limit"/> entries for a question, best first, of the kinds asked (null: all).</summary>
    public IReadOnlyList<DocHit> Search(string question, int limit, Func<DocEntry, bool>? keep = null)
    {
        var asked = Question.Parse(question);
        var terms = asked.Terms;
        if (terms.Count == 0) return [];
        lock (_gate)
        {
            using var q = _db.CreateCommand();
            // Every word may match (OR); BM25 ranks entries with more of them, and rarer ones, first. Titles weigh 10×.
            q.CommandText = "SELECT rowid, bm25(docs, 10.0, 1.0), snippet(docs, 1, '', '', '…', 24) FROM docs WHERE docs MATCH $q ORDER BY bm25(docs, 10.0, 1.0) LIMIT 200;";
            q.Parameters.AddWithValue("$q", string.Join(" OR ", terms.Select(t => $"\"{t}\"")));
            var hits = new List<DocHit>();
            using var r = q.ExecuteReader();
            while (r.Read())
            {
                var entry = _entries[(int)r.GetInt64(0)];
                if (keep is null || keep(entry))
                    hits.Add(new DocHit(entry, -r.GetDouble(1) * (1 + 0.5 * InTitle(terms, entry)) * (Named(terms, entry) ? 1.5 : 1)
                        * (asked.Wants != Intent.None && Question.IntentOf(entry) == asked.Wants ? IntentWeight : 1)
                        * (!asked.Testing && entry.Request?.Contains("/test_helpers/", StringComparison.Ordinal) == true ? 0.5 : 1), r.GetString(2)));
            }
            // BM25 weighs a word by its rarity, so a word every operation has (customer, account) counts for little even in
            // a title; the question's words in the title (what an entry is about) lift it.
            return [.. hits.OrderByDescending(h => h.Score).Take(limit)];
        }
    }

    /// <summary>
    /// The operations that answer a question, best first, among those <paramref name="among"/> keeps: stripe_api_search's
    /// ranking is this index's (an operation found through its typed tool's entry counts as found).
    /// </summary>
    public IReadOnlyList<ApiOperation> Operations(string question, int limit, Func<ApiOperation, bool> among) =>
        [.. Search(question, 200, e => e.Kind is "operation" or "tool")
            .Select(h => h.Entry.Kind == "operation" ? ApiCatalog.Find(h.Entry.Ref) : ToolCatalog.Find(h.Entry.Ref) is { } t ? ApiCatalog.ByKey(t.Operation) : null)
            .OfType<ApiOperation>().Where(among).Distinct().Take(limit)];

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

    private void Exec(string sql, SqliteTransaction tx)
    {
        using var c = _db.CreateCommand();
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
            yield return new DocEntry("operation", op.Id, $"{op.Method.Method} {op.Path}", $"{op.Summary} {Flatten(parameters)}", op.Permission, $"{op.Method.Method} {op.Path}");
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
