namespace StripeMcp.Tools.Catalog;

/// <summary>Params many tools share, so each is described once and the same way everywhere.</summary>
internal static class P
{
    public static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Delete = HttpMethod.Delete;

    public const Hints Read = Hints.ReadOnly | Hints.Idempotent;

    public static IdParam Id(string name, string prefix, string description, bool required = false) =>
        new(name, description, required, prefix);

    /// <summary>An amount in the currency's smallest unit (cents for usd, yen for jpy).</summary>
    public static IntParam Amount(string name, string what, bool required = false, long minimum = 0) =>
        new(name, $"{what}, in the currency's smallest unit (e.g. 1000 = $10.00 for usd; 1000 = ¥1000 for jpy).", required, minimum, 99_999_999);

    public static StringParam Currency(bool required = false, string? extra = null) =>
        new("currency", "Three-letter ISO currency code in lowercase, e.g. \"usd\", \"eur\"." + (extra is null ? "" : " " + extra), required, MaxLength: 3);

    public static MetadataParam Metadata => new();

    public static StringParam Description(string what) => new("description", what, MaxLength: 5000);

    /// <summary>Cursor pagination, on every list tool (Stripe's names).</summary>
    public static Param[] Paging(string things) =>
    [
        new IntParam("limit", $"How many {things} to return, 1 to 100 (Stripe's default is 10).", Minimum: 1, Maximum: 100),
        new IdParam("starting_after", $"Cursor for the next page: the id of the last {Singular(things)} of the previous page (returned as next_starting_after when has_more is true)."),
        new IdParam("ending_before", $"Cursor for the previous page: the id of the first {Singular(things)} of the current page."),
    ];

    /// <summary>Stripe's search: a query in its query language, limit, and the page cursor.</summary>
    public static Param[] Search(string things, string fields, string example) =>
    [
        new StringParam("query", $"Search query in Stripe's search language: field:\"value\" (exact), field~\"text\" (contains, 3+ characters), numbers with > < >= <=, metadata['key']:'value', a leading - negates; join clauses with AND or OR (not both). Fields for {things}: {fields}. Example: {example}", Required: true, MaxLength: 10_000),
        new IntParam("limit", $"How many {things} to return, 1 to 100 (default 10).", Minimum: 1, Maximum: 100),
        new StringParam("page", "Cursor for the next page: next_page from the previous result.", MaxLength: 5000),
    ];

    /// <summary>What every search tool says about its result.</summary>
    public const string SearchResult =
        " Results may lag writes by a few seconds on Stripe. Returns {data: [...], has_more, next_page}; pass next_page as page for more.";

    /// <summary>What every list tool says about its result, appended to its description.</summary>
    public const string ListResult =
        " Newest first. Returns {data: [...], has_more}; when has_more is true, pass next_starting_after as starting_after to get the next page.";

    private static string Singular(string things) => things.EndsWith("ies") ? things[..^3] + "y" : things.TrimEnd('s');
}
