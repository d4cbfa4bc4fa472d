using static StripeMcp.Tools.Catalog.P;

namespace StripeMcp.Tools.Catalog;

internal static class Products
{
    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_product", "products.create", "Create product",
            "Create a product: the good or service you sell. A product has no amount of its own; create one or more prices for it with create_price. Returns the whole product object (prod_…).",
            Post, "/v1/products", Hints.None,
            [
                new StringParam("name", "The product's name, shown to customers on checkout pages, invoices and receipts.", Required: true, MaxLength: 250),
                Description("The product's description, shown to customers."),
                new BoolParam("active", "Whether the product can be bought. Defaults to true."),
                Metadata,
            ]),
        new("retrieve_product", "products.read", "Retrieve product",
            "Retrieve one product by id, with its default_price, active flag and metadata.",
            Get, "/v1/products/{product}", Read,
            [Id("product", "prod_", "The id of the product (prod_…).", required: true)]),
        new("update_product", "products.update", "Update product",
            "Change a product's name, description, default price or metadata, or archive it (active: false) so it can no longer be bought. Prices are not changed. Returns the whole product.",
            Post, "/v1/products/{product}", Hints.Idempotent,
            [
                Id("product", "prod_", "The id of the product (prod_…).", required: true),
                new StringParam("name", "The new name.", MaxLength: 250),
                Description("The new description, shown to customers."),
                new BoolParam("active", "false archives the product; true makes it available again."),
                Id("default_price", "price_", "One of the product's prices (price_…) to show by default."),
                Metadata,
            ]),
        new("list_products", "products.read", "List products",
            "List products, optionally only active or only archived ones.",
            Get, "/v1/products", Read,
            [
                new BoolParam("active", "true: only products available for purchase; false: only archived ones."),
                .. Paging,
            ]),
        new("search_products", "products.read", "Search products",
            "Find products by name, description, active flag or metadata, with partial matches (~).",
            Get, "/v1/products/search", Read,
            [.. Search("name, description, active, url, shippable, created, metadata", "name~\"shirt\" AND active:'true'")]),
    ];
}
