namespace StripeMcp.Docs;

/// <summary>
/// What a question asks, for the documentation index: its words (stop words out, Stripe's words for the agent's
/// added from vocabulary.txt) and what it wants done — list, read, create, change or end something — so entries that
/// do that rank first.
/// </summary>
internal sealed class Question
{
    public IReadOnlyList<string> Terms { get; }
    public Intent Wants { get; }

    /// <summary>Whether it is about testing (test helpers, which simulate, rank low otherwise).</summary>
    public bool Testing => Terms.Any(t => t is "test" or "testing" or "simulate" or "simulated" or "fake" or "helper");

    private Question(IReadOnlyList<string> terms, Intent wants) => (Terms, Wants) = (terms, wants);

    public static Question Parse(string text)
    {
        var words = DocIndex.Words(text).ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var terms = new List<string>();
        for (var i = 0; i < words.Length; i++)
        {
            // Stripe's words for the agent's phrases of one to three words.
            for (var n = 3; n >= 1; n--)
                if (i + n <= words.Length && Vocabulary.Value.TryGetValue(string.Join(' ', words, i, n), out var stripe)) terms.AddRange(stripe);
            if (Reading.Contains(words[i])) terms.Add("retrieve");
            if (!Stop.Contains(words[i]) && words[i].Length > 1) terms.Add(words[i]);
        }
        return new Question([.. terms.Distinct().Take(40)], IntentOf(words));
    }

    /// <summary>What an entry does, from its request (POST /v1/refunds) or a tool's name.</summary>
    public static Intent IntentOf(DocEntry entry)
    {
        if (entry.Kind == "tool") return Verb(entry.Ref.Split('_')[0]);
        if (entry.Kind != "operation" || entry.Request?.Split(' ') is not [var method, var path]) return Intent.None;
        var last = path[(path.LastIndexOf('/') + 1)..];
        return method switch
        {
            "GET" => last.StartsWith('{') ? Intent.Read : Intent.List,
            "DELETE" => Intent.End,
            _ when last.StartsWith('{') => Intent.Change,
            _ when path.Count(c => c == '{') == 0 => Intent.Create,
            _ => Verb(last.Split('_')[0]) is var v && v != Intent.None ? v : Intent.Change,
        };
    }

    /// <summary>The first verb of the question, except that "all", "every" and "history" ask for a list whatever the verb.</summary>
    private static Intent IntentOf(string[] words)
    {
        if (words.Any(w => w is "all" or "every" or "history")) return Intent.List;
        foreach (var w in words)
            if (Verb(w) is var v && v != Intent.None) return v;
        return Intent.None;
    }

    private static Intent Verb(string word) => word switch
    {
        "list" or "all" or "every" or "history" or "recent" or "search" => Intent.List,
        "get" or "retrieve" or "show" or "check" or "see" or "fetch" or "look" or "read" or "what" or "when" or "where" or "did" or "was" => Intent.Read,
        "create" or "add" or "make" or "new" or "send" or "take" or "charge" or "give" or "register" or "issue" or "start" or "open" or "record" or "report" or "upload" or "attach" or "subscribe" or "pay" => Intent.Create,
        "update" or "change" or "edit" or "modify" or "switch" or "rename" or "set" or "upgrade" or "downgrade" or "move" => Intent.Change,
        "cancel" or "void" or "kill" or "stop" or "undo" or "remove" or "delete" or "expire" or "detach" or "close" or "reverse" or "reject" or "deactivate" or "disable" => Intent.End,
        _ => Intent.None,
    };

    private static readonly HashSet<string> Stop = ["a", "an", "the", "of", "to", "for", "on", "in", "and", "or", "with", "my", "me", "i", "how", "do", "does", "can",
        "is", "it", "have", "has", "what", "which", "when", "why", "should", "be", "are", "this", "that", "from", "by", "at", "as", "we", "you", "our", "their", "they", "there", "want", "need", "use", "way"];

    private static readonly HashSet<string> Reading = ["check", "get", "show", "see", "fetch", "look", "read"];

    /// <summary>vocabulary.txt: an agent's phrase → Stripe's words for it.</summary>
    private static readonly Lazy<Dictionary<string, string[]>> Vocabulary = new(() =>
    {
        using var stream = typeof(Question).Assembly.GetManifestResourceStream("StripeMcp.Docs.vocabulary.txt")!;
        using var reader = new StreamReader(stream);
        var map = new Dictionary<string, string[]>();
        while (reader.ReadLine() is { } line)
            if (!line.StartsWith('#') && line.Split("=>") is [var theirs, var ours])
                map[theirs.Trim()] = ours.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return map;
    });
}

/// <summary>What a question wants done, or what an entry does.</summary>
internal enum Intent { None, List, Read, Create, Change, End }
