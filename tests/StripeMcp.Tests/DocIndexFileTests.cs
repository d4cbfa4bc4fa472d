using StripeMcp.Docs;

namespace StripeMcp.Tests;

/// <summary>The documentation index kept between processes: written once per build, read back, replaced when stale, in memory when it cannot be kept.</summary>
public sealed class DocIndexFileTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "stripe-mcp-docindex-" + Guid.NewGuid().ToString("N"));

    private static readonly DocEntry[] Few =
    [
        new("guide", "stripe-mcp://guides/refunds", "Refunds", "Give money back to a customer."),
        new("operation", "PostRefunds", "POST /v1/refunds", "Create a refund of a charge.", "refunds.create", "POST /v1/refunds", "Create a refund."),
    ];

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void The_first_open_writes_the_file_and_the_next_reads_it_without_building()
    {
        using (var first = DocIndexFile.Open(() => Few, _folder))
            Assert.Equal("stripe-mcp://guides/refunds", first.Search("give money back", 1)[0].Entry.Ref);
        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Matches(@"docs-[0-9a-f]{12}-[0-9a-f]{8}-\d+\.db$", file);
        using var second = DocIndexFile.Open(() => throw new InvalidOperationException("built again"), _folder);
        Assert.Equal(2, second.Count);
        Assert.Equal("Create a refund.", second.Summary("PostRefunds"));
        Assert.Equal("refunds.create", second.Search("refund", 5).Single(h => h.Entry.Kind == "operation").Entry.Permission);
    }

    [Fact]
    public void A_file_of_another_build_or_a_broken_one_is_replaced()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "docs-000000000000-00000000-1.db"), "an older build's index");
        File.WriteAllText(Path.Combine(_folder, $"docs-{DocIndexFile.Key()}.db"), "not a database");
        using var index = DocIndexFile.Open(() => Few, _folder);
        Assert.Equal(2, index.Count);
        Assert.Equal($"docs-{DocIndexFile.Key()}.db", Path.GetFileName(Assert.Single(Directory.GetFiles(_folder))));
    }

    [Fact]
    public void Where_no_file_can_be_kept_the_index_is_built_in_memory()
    {
        Directory.CreateDirectory(_folder);
        var underAFile = Path.Combine(_folder, "a-file");
        File.WriteAllText(underAFile, "");
        using var index = DocIndexFile.Open(() => Few, Path.Combine(underAFile, "cache"));
        Assert.Equal(2, index.Count);
        using var none = DocIndexFile.Open(() => Few, folder: null);
        Assert.Equal(2, none.Count);
    }

    [Fact]
    public void The_index_keeps_every_operation_as_the_gate_sees_it_in_the_catalog()
    {
        // stripe_api_search decides what a caller may use from these rows alone: they must be the catalog's.
        Assert.Equal(StripeMcp.Api.ApiCatalog.All.Select(o => o.Row), DocIndex.Instance.OperationRows);
        Assert.Contains(DocIndex.Instance.OperationRows, o => o.Id == "DeleteCustomersCustomer" && o.Destructive);
    }

    [Theory]
    [InlineData("/home/u", null, "/home/u/.cache/stripe-mcp")]
    [InlineData("/home/u", "/var/cache", "/var/cache/stripe-mcp")]
    [InlineData("/home/u", "relative", "/home/u/.cache/stripe-mcp")]
    [InlineData(null, null, null)]
    public void The_folder_is_the_users_cache(string? home, string? xdg, string? expected)
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(expected, DocIndexFile.Folder(name => name switch { "HOME" => home, "XDG_CACHE_HOME" => xdg, _ => null }));
    }
}
