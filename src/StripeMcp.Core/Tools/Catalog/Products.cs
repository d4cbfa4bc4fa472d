using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

internal static class Products
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_product", "products.create", "Create product",
            "Create a product: the good or service you sell. It has no amount of its own: give it prices with create_price.",
            Post, "/v1/products", Hints.Write,
            [
                new StringParam("name", "Shown to customers at checkout and on invoices and receipts.", Required: true, MaxLength: 250),
                Description("Shown to customers."),
                new BoolParam("active", "Can be bought (default true)."),
                Metadata,
            ]),
        new("retrieve_product", "products.read", "Retrieve product",
            "Retrieve one product, with its default_price, active flag and metadata.",
            Get, "/v1/products/{product}", Read,
            [Id("product", "prod_", required: true)]),
        new("update_product", "products.update", "Update product",
            "Change a product's name, description, default price or metadata, or archive it (active: false) so it can no longer be bought. Its prices stay as they are.",
            Post, "/v1/products/{product}", Hints.Idempotent,
            [
                Id("product", "prod_", required: true),
                new StringParam("name", "New name.", MaxLength: 250),
                Description("Shown to customers."),
                new BoolParam("active", "false archives it; true makes it available again."),
                Id("default_price", "price_", "One of its prices, shown by default."),
                Metadata,
            ]),
        new("list_products", "products.read", "List products",
            "List products, optionally only active or only archived ones.",
            Get, "/v1/products", Read,
            [
                new BoolParam("active", "true: only available ones; false: only archived ones."),
                .. Paging,
            ]),
        new("search_products", "products.read", "Search products",
            "Find products by name, description, active flag or metadata, with partial matches (~).",
            Get, "/v1/products/search", Read,
            [.. Search("name, description, active, url, shippable, created, metadata", "name~\"shirt\" AND active:'true'")]),
    ];
}
