namespace StripeMcp.Tools.Catalog;

/// <summary>Params many tools share, so each is described once and the same way everywhere.</summary>
internal static class SharedParams
{
    public static readonly HttpMethod Get = HttpMethod.Get, Post = HttpMethod.Post, Delete = HttpMethod.Delete;

    public const Hints Read = Hints.ReadOnly | Hints.Idempotent;

    /// <summary>An id; most need no description: the name and the published prefix (^cus_) say what it is.</summary>
    public static IdParam Id(string name, string prefix, string description = "", bool required = false) =>
        new(name, description, required, prefix);

    /// <summary>An amount in the currency's smallest unit (cents for usd, yen for jpy): said on every amount, where it is given.</summary>
    public static IntParam Amount(string name, string what, bool required = false, long minimum = 0) =>
        new(name, $"{what}, in the smallest currency unit (1000 = $10.00).", required, minimum, 99_999_999);

    /// <summary>A currency: the server's instructions say its form (lowercase ISO, usd) once; <paramref name="extra"/> is when it applies.</summary>
    public static StringParam Currency(bool required = false, string? extra = null) => new("currency", extra ?? "", required, MaxLength: 3);

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
