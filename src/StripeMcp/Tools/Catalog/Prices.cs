using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Prices
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_price", "prices.create", "Create price",
            "Create a price for a product: a one-time price, or a recurring one for subscriptions when `recurring` is given (e.g. {\"interval\": \"month\"}). Prices cannot change their amount later: create a new price instead. Returns the whole price object (price_…).",
            Post, "/v1/prices", Hints.None,
            [
                Id("product", "prod_", "The id of the product this price is for (prod_…).", required: true),
                Amount("unit_amount", "The price per unit", required: true),
                Currency(required: true),
                new ObjectParam("recurring", "Makes this a recurring (subscription) price. Leave out for a one-time price.",
                [
                    new StringParam("interval", "How often the customer is billed.", Required: true, Enum: ["day", "week", "month", "year"]),
                    new IntParam("interval_count", "Bill every N intervals, e.g. 3 with \"month\" for quarterly. Defaults to 1; at most one year in total.", Minimum: 1, Maximum: 365),
                ]),
                new StringParam("nickname", "A name for the price, visible only to you (e.g. \"Pro monthly\").", MaxLength: 250),
                new StringParam("lookup_key", "A stable key you choose to find this price later (e.g. \"pro_monthly\").", MaxLength: 200),
                Metadata,
            ])
        {
            Money = MoneyOf.Fields("unit_amount"),
        },
        new("retrieve_price", "prices.read", "Retrieve price",
            "Retrieve one price by id: its product, unit_amount (smallest currency unit), currency, and recurring interval if any.",
            Get, "/v1/prices/{price}", Read,
            [Id("price", "price_", "The id of the price (price_…).", required: true)]),
        new("update_price", "prices.update", "Update price",
            "Change a price's nickname, lookup key or metadata, or deactivate it (active: false) so it cannot be used for new purchases. The amount of a price can never change: create a new price instead.",
            Post, "/v1/prices/{price}", Hints.Idempotent,
            [
                Id("price", "price_", "The id of the price (price_…).", required: true),
                new BoolParam("active", "false stops new purchases with this price; existing subscriptions keep it."),
                new StringParam("nickname", "A name for the price, visible only to you.", MaxLength: 250),
                new StringParam("lookup_key", "A stable key you choose to find this price later.", MaxLength: 200),
                Metadata,
            ]),
        new("list_prices", "prices.read", "List prices",
            "List prices, optionally for one product, only active ones, only one-time or only recurring ones, or in one currency.",
            Get, "/v1/prices", Read,
            [
                Id("product", "prod_", "Only prices of this product (prod_…)."),
                new BoolParam("active", "true: only prices that can be used for new purchases; false: only inactive ones."),
                new StringParam("type", "Only one-time or only recurring prices.", Enum: ["one_time", "recurring"]),
                Currency(extra: "Only prices in this currency."),
                .. Paging,
            ]),
        new("search_prices", "prices.read", "Search prices",
            "Find prices by product, currency, type, lookup key, active flag or metadata.",
            Get, "/v1/prices/search", Read,
            [.. Search("product, currency, type, lookup_key, active, created, metadata", "product:\"prod_123\" AND type:\"recurring\"")]),
    ];
}
