using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Prices
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_price", "prices.create", "Create price",
            "Create a price for a product: one-time, or recurring (for subscriptions) when recurring is given. A price's amount never changes: create a new price instead.",
            Post, "/v1/prices", Hints.Write,
            [
                Id("product", "prod_", required: true),
                Amount("unit_amount", "The price per unit", required: true),
                Currency(required: true),
                new ObjectParam("recurring", "Makes it a recurring price; leave out for one-time.",
                [
                    new StringParam("interval", "Billing period.", Required: true, Enum: ["day", "week", "month", "year"]),
                    new IntParam("interval_count", "Bill every N intervals (3 months: quarterly), default 1, at most a year in all.", Minimum: 1, Maximum: 365),
                ]),
                new StringParam("nickname", "Name only you see, e.g. Pro monthly.", MaxLength: 250),
                new StringParam("lookup_key", "Your stable key to find it by, e.g. pro_monthly.", MaxLength: 200),
                Metadata,
            ]),
        new("retrieve_price", "prices.read", "Retrieve price",
            "Retrieve one price: product, unit_amount, currency, recurring interval if any.",
            Get, "/v1/prices/{price}", Read,
            [Id("price", "price_", required: true)]),
        new("update_price", "prices.update", "Update price",
            "Change a price's nickname, lookup key or metadata, or deactivate it (active: false) for new purchases. Its amount never changes: create a new price instead.",
            Post, "/v1/prices/{price}", Hints.Idempotent,
            [
                Id("price", "price_", required: true),
                new BoolParam("active", "false stops new purchases; subscriptions keep it."),
                new StringParam("nickname", "Name only you see.", MaxLength: 250),
                new StringParam("lookup_key", "Your stable key to find it by.", MaxLength: 200),
                Metadata,
            ]),
        new("list_prices", "prices.read", "List prices",
            "List prices, optionally by product, active flag, type or currency.",
            Get, "/v1/prices", Read,
            [
                Id("product", "prod_"),
                new BoolParam("active", "true: only usable for new purchases; false: only inactive."),
                new StringParam("type", "One-time or recurring.", Enum: ["one_time", "recurring"]),
                Currency(),
                .. Paging,
            ]),
        new("search_prices", "prices.read", "Search prices",
            "Find prices by product, currency, type, lookup key, active flag or metadata.",
            Get, "/v1/prices/search", Read,
            [.. Search("product, currency, type, lookup_key, active, created, metadata", "product:\"prod_123\" AND type:\"recurring\"")]),
    ];
}
