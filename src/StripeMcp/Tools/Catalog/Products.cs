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
        new("list_products", "products.read", "List products",
            "List products, optionally only active or only archived ones." + ListResult,
            Get, "/v1/products", Read,
            [
                new BoolParam("active", "true: only products available for purchase; false: only archived ones."),
                .. Paging("products"),
            ]),
    ];
}
