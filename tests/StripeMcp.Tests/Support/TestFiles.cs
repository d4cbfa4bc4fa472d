namespace StripeMcp.Tests.Support;

public static class TestFiles
{
    /// <summary>A config file with this content, in the temp folder.</summary>
    public static string Config(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-test-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    /// <summary>A file of the repository (README.md, mcp-config.schema.json …), found from the test's output folder.</summary>
    public static string Repo(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "StripeMcp.sln"))) return Path.Combine(dir.FullName, name);
        throw new FileNotFoundException(name);
    }
}
