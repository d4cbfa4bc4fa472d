namespace StripeMcp.Tests;

/// <summary>A row's cached schema and path names belong to that row: a copy made with `with` builds its own.</summary>
public sealed class ToolDefinitionTests
{
    [Fact]
    public void A_copy_with_the_account_argument_publishes_it_although_the_row_it_came_from_was_published_first()
    {
        var row = ToolCatalog.Find("list_customers")!;
        Assert.False(row.InputSchemaElement.GetProperty("properties").TryGetProperty(ToolDefinition.AccountArgument, out _));
        var perCall = row.WithPerCallAccount(new HashSet<string> { "acct_1Allowed" }, fallback: null);
        Assert.True(perCall.InputSchemaElement.GetProperty("properties").TryGetProperty(ToolDefinition.AccountArgument, out _));
        Assert.False(row.InputSchemaElement.GetProperty("properties").TryGetProperty(ToolDefinition.AccountArgument, out _));
    }

    [Fact]
    public void A_copy_with_another_path_names_its_own_path_parameters()
    {
        var row = ToolCatalog.Find("retrieve_customer")!;
        Assert.Equal(["customer"], row.PathParams);
        Assert.Equal(["invoice"], (row with { Path = "/v1/invoices/{invoice}" }).PathParams);
    }
}
