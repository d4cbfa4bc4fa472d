using StripeMcp.Tests.Support;
using System.Text.Json;
using NJsonSchema;
using StripeMcp.Configuration;

namespace StripeMcp.Tests;

/// <summary>What ships beside the code: the config schema, the example config, the registry manifest.</summary>
public sealed class PackagingTests
{

    private static Task<JsonSchema> Schema() => JsonSchema.FromJsonAsync(File.ReadAllText(TestFiles.Repo("mcp-config.schema.json")));

    [Fact]
    public void The_committed_schema_is_what_config_schema_prints()
    {
        var expected = ConfigSchema.Build().ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        Assert.Equal(expected.ReplaceLineEndings("\n").TrimEnd(), File.ReadAllText(TestFiles.Repo("mcp-config.schema.json")).ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task The_example_config_validates_against_the_schema_and_points_to_it()
    {
        var example = File.ReadAllText(TestFiles.Repo("mcp-config.example.json"));
        Assert.Empty((await Schema()).Validate(example));
        Assert.Equal("./mcp-config.schema.json", JsonDocument.Parse(example).RootElement.GetProperty("$schema").GetString());
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = TestFiles.Repo("mcp-config.example.json") }, _ => null);
        Assert.True(loaded.Ok);
        Assert.Empty(ToolPolicy.IdleRules(loaded.Options)); // every limit and confirmation it shows applies
    }


    [Fact]
    public async Task The_example_config_works_with_the_sandbox_and_an_account_the_sandbox_lacks_is_warned_of()
    {
        await using (var example = await TestServer.StartAsync(["--sandbox", "--config", TestFiles.Repo("mcp-config.example.json")]))
        {
            var customers = await example.CallAsync("list_customers");
            Assert.False(customers.IsError ?? false, customers.Text());
            Assert.Contains("Jenny Rosen", customers.Text());
            Assert.DoesNotContain(example.Stderr, l => l.Contains("The sandbox has no connected account"));
        }
        var config = TestFiles.Config("""{ "toolsets": ["customers"], "context": { "account": "acct_1Missing", "accounts": ["acct_1AlsoMissing", "*"] } }""");
        await using var missing = await TestServer.StartAsync(["--sandbox", "--config", config]);
        await Eventually.True(() => missing.Stderr.Any(l => l.Contains("[WRN]") && l.Contains("The sandbox has no connected account acct_1AlsoMissing, acct_1Missing")));
    }

    [Theory]
    [InlineData("""{ "toolsets": ["bilng"] }""")]
    [InlineData("""{ "actions": { "customers": { "raed": true } } }""")]
    [InlineData("""{ "tools": { "deny": ["create_refnd"] } }""")]
    [InlineData("""{ "limits": { "refunds": { "maxAmount": { "USD": 5 } } } }""")]
    [InlineData("""{ "context": { "account": "cus_1" } }""")]
    [InlineData("""{ "toolz": {} }""")]
    public async Task The_schema_catches_what_the_loader_catches(string config)
    {
        Assert.NotEmpty((await Schema()).Validate(config));
        var path = Path.Combine(Path.GetTempPath(), $"stripe-mcp-schema-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, config);
        Assert.False(OptionsLoader.Load(new CommandLineInputs { Config = path }, _ => null).Ok);
    }

    [Fact]
    public void The_registry_manifest_matches_the_package()
    {
        var server = JsonDocument.Parse(File.ReadAllText(TestFiles.Repo("server.json"))).RootElement;
        var version = typeof(OptionsLoader).Assembly.GetName().Version!.ToString(3);
        Assert.Equal(version, server.GetProperty("version").GetString());
        var package = server.GetProperty("packages")[0];
        Assert.Equal(version, package.GetProperty("version").GetString());
        Assert.Equal("nuget", package.GetProperty("registryType").GetString());
        var csproj = File.ReadAllText(TestFiles.Repo("src/StripeMcp/StripeMcp.csproj"));
        Assert.Contains($"<PackageId>{package.GetProperty("identifier").GetString()}</PackageId>", csproj);
        Assert.Contains(package.GetProperty("environmentVariables").EnumerateArray(), e => e.GetProperty("name").GetString() == EnvVars.ApiKey && e.GetProperty("isSecret").GetBoolean());
        var toolsets = package.GetProperty("packageArguments").EnumerateArray().Single(a => a.GetProperty("name").GetString() == "--toolsets");
        Assert.Equal($"Toolsets to enable: {string.Join(", ", ToolCatalog.ToolsetNames)}.", toolsets.GetProperty("description").GetString());
    }

    /// <summary>
    /// nuget.org shows README without the repository, so the package's copy has each link into the repository as its
    /// plain text (the pack's WritePackageReadme): that text must be the path it pointed to, or the reader loses where.
    /// </summary>
    [Fact]
    public void Every_link_of_README_into_the_repository_reads_as_its_path()
    {
        var links = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(TestFiles.Repo("README.md")), @"\[([^\]]+)\]\((?!https?:|#)([^)#]+)(#[^)]*)?\)");
        Assert.NotEmpty(links);
        Assert.All(links, m => Assert.True(m.Groups[1].Value.Trim('`') == m.Groups[2].Value, $"{m.Value}: the package's README would keep only \"{m.Groups[1].Value}\""));
    }

    /// <summary>What README's steps leave in the tree (build output, packages, node_modules) never reaches the image's build context or git.</summary>
    [Fact]
    public void Build_output_stays_out_of_git_and_the_docker_context()
    {
        var gitignore = File.ReadAllLines(TestFiles.Repo(".gitignore"));
        var dockerignore = File.ReadAllLines(TestFiles.Repo(".dockerignore"));
        foreach (var folder in new[] { "bin/", "obj/", "out/", "nupkg/", "node_modules/" })
            Assert.Contains(gitignore, l => l.Trim() == folder);
        foreach (var folder in new[] { ".git/", "**/bin/", "**/obj/", "out/", "nupkg/", ".ci/", "**/node_modules/" })
            Assert.Contains(dockerignore, l => l.Trim() == folder);
        // Everything the Dockerfile copies is still in the context.
        foreach (var copied in new[] { "global.json", "StripeMcp.sln", "src/" })
        {
            Assert.Contains($" {copied}", File.ReadAllLines(TestFiles.Repo("Dockerfile")).Where(l => l.StartsWith("COPY ") && !l.Contains("--from")).Single(l => l.Contains(copied)));
            Assert.DoesNotContain(dockerignore, l => l.Trim().TrimEnd('/') == copied.TrimEnd('/'));
        }
    }

    /// <summary>The image is built for the platform docker builds it for (TARGETARCH), not always linux-x64.</summary>
    [Theory]
    [InlineData("amd64", "linux-x64")]
    [InlineData("arm64", "linux-arm64")]
    public async Task The_image_is_published_for_its_own_architecture(string targetArch, string runtime)
    {
        var dockerfile = File.ReadAllLines(TestFiles.Repo("Dockerfile"));
        Assert.Contains("ARG TARGETARCH=amd64", dockerfile);
        Assert.Contains("SHELL [\"/bin/bash\", \"-c\"]", dockerfile);
        var publish = dockerfile.Single(l => l.StartsWith("RUN dotnet publish "))["RUN ".Length..];
        var echo = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("bash", ["-c", "echo " + publish])
        {
            RedirectStandardOutput = true, Environment = { ["TARGETARCH"] = targetArch },
        })!;
        var expanded = await echo.StandardOutput.ReadToEndAsync();
        await echo.WaitForExitAsync();
        Assert.Contains($" -r {runtime} ", expanded);
    }

    /// <summary>In a container the state store lives on a volume the docs (README, docs/install.md, docs/state.md) and the Dockerfile name; --rm alone would lose totals, keys and the audit chain.</summary>
    [Fact]
    public void The_image_keeps_its_state_store_on_a_named_volume()
    {
        var dockerfile = File.ReadAllLines(TestFiles.Repo("Dockerfile"));
        Assert.Contains("ENV XDG_STATE_HOME=/state", dockerfile);
        Assert.Contains("VOLUME /state", dockerfile);
        Assert.Equal("/state/stripe-mcp/state.db", ServerOptions.DefaultStatePath(name => name == "XDG_STATE_HOME" ? "/state" : null));
        foreach (var page in new[] { "README.md", "docs/install.md", "docs/state.md" })
            Assert.Contains("-v stripe-mcp-state:/state", DocPages.Read(page));
    }
}
