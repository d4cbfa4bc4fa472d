using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

public sealed class ApiPermissionsTableTests
{
    [Fact]
    public void The_permission_table_start_up_uses_is_the_catalogs()
    {
        var path = TestFiles.Repo("src/StripeMcp.Core/Api/ApiPermissions.Table.cs");
        var expected = ApiPermissions.Render();
        if (File.ReadAllText(path) != expected)
        {
            File.WriteAllText(path + ".new", expected);
            Assert.Fail($"{path} differs from the catalog: the new table is in {path}.new; move it over the old one.");
        }
    }
}
