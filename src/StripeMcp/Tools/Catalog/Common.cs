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

    /// <summary>Cursor pagination, on every list tool (Stripe's names; the server's instructions say how it works, once).</summary>
    public static Param[] Paging =>
    [
        new IntParam("limit", "", Minimum: 1, Maximum: 100),
        new IdParam("starting_after", ""),
        new IdParam("ending_before", ""),
    ];

    /// <summary>Stripe's search: a query (its language is in the server's instructions), limit, and the page cursor.</summary>
    public static Param[] Search(string fields, string example) =>
    [
        new StringParam("query", $"Fields: {fields}. E.g. {example}", Required: true, MaxLength: 10_000),
        new IntParam("limit", "", Minimum: 1, Maximum: 100),
        new StringParam("page", "", MaxLength: 5000),
    ];
}
