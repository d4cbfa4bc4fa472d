using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Every permission the catalog gates an operation with is one the operator can write, and is told about.</summary>
public sealed class ApiPermissionConfigTests
{
    private static OptionsLoader.Result Load(string? tools = null, string? config = null) =>
        OptionsLoader.Load(new CommandLineInputs { ApiKey = "sk_test_perm", Tools = tools, Config = config }, _ => null);

    [Fact]
    public void Every_catalog_permission_is_accepted_by_config_validation_on_the_command_line_and_in_the_file()
    {
        var permissions = ApiCatalog.All.Select(o => o.Permission).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(permissions.Count > 250, $"only {permissions.Count} permissions");
        var failures = new List<string>();
        foreach (var permission in permissions)
        {
            var (resource, action) = (permission[..permission.IndexOf('.')], permission[(permission.IndexOf('.') + 1)..]);
            var cli = Load(tools: permission);
            if (!cli.Ok || !cli.Options.Permissions.Contains(permission)) failures.Add($"--tools {permission}: {string.Join("; ", cli.Problems)}");
            var snake = System.Text.RegularExpressions.Regex.Replace(resource, "([A-Z])", m => "_" + m.Value.ToLowerInvariant());
            var file = Load(config: TestFiles.Config($$"""{ "actions": { "{{snake}}": { "{{action}}": true } } }"""));
            if (!file.Ok || !file.Options.Permissions.Contains(permission)) failures.Add($"actions.{snake}.{action}: {string.Join("; ", file.Problems)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void A_mistyped_resource_action_or_operation_id_is_refused_with_the_closest_known_name()
    {
        var failures = new List<string>();
        foreach (var resource in ApiCatalog.All.Select(o => o.Resource).Distinct().Where(r => r.Length > 5))
        {
            var typo = resource.Remove(resource.Length / 2, 1); // a letter left out
            if (Api.ApiPermissions.Actions.ContainsKey(typo)) continue;
            var result = Load(tools: $"{typo}.read");
            if (result.Ok || !result.Problems.Any(p => p.Contains($"did you mean \"{resource}\"", StringComparison.Ordinal)))
                failures.Add($"{typo}: {string.Join("; ", result.Problems)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));

        var action = Load(tools: "quotes.craete");
        Assert.Contains(action.Problems, p => p.Contains("did you mean \"create\"", StringComparison.Ordinal));
        var deny = Load(config: TestFiles.Config("""{ "toolsets": ["billing"], "tools": { "deny": ["PostQuotesQuoteAcept"] }, "confirm": { "PostCreditNotesCreditNoteVoyd": "off" } }"""));
        Assert.Contains(deny.Problems, p => p.Contains("did you mean \"PostQuotesQuoteAccept\"", StringComparison.Ordinal));
        Assert.Contains(deny.Problems, p => p.Contains("did you mean \"PostCreditNotesCreditNoteVoid\"", StringComparison.Ordinal));
    }

    [Fact]
    public void The_published_config_schema_knows_every_catalog_permission()
    {
        var actions = System.Text.Json.JsonDocument.Parse(File.ReadAllText(TestFiles.Repo("mcp-config.schema.json"))).RootElement
            .GetProperty("definitions").GetProperty("actions").GetProperty("properties");
        var missing = ApiCatalog.All.Select(o => o.Permission).Distinct()
            .Where(p => !(actions.TryGetProperty(p[..p.IndexOf('.')], out var r) && r.GetProperty("properties").TryGetProperty(p[(p.IndexOf('.') + 1)..], out _)))
            .ToList();
        Assert.True(missing.Count == 0, "the schema lacks: " + string.Join(", ", missing));
    }
}
