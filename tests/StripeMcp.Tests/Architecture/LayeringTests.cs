using Xunit.Abstractions;

namespace StripeMcp.Tests.Architecture;

/// <summary>The tree reads as the architecture: no namespace uses one that uses it back.</summary>
public sealed class LayeringTests(ITestOutputHelper output)
{
    private static readonly Lazy<NamespaceGraph> Server = new(() => NamespaceGraph.Of("src/StripeMcp", "src/StripeMcp.Core"));

    [Fact]
    public void No_namespace_uses_one_that_uses_it_back()
    {
        var graph = Server.Value;
        foreach (var (from, to) in graph.Uses.OrderBy(k => k.Key).Select(kv => (kv.Key, kv.Value)))
            output.WriteLine($"{from} -> {string.Join(", ", to.Where(t => t.StartsWith("StripeMcp", StringComparison.Ordinal)).Order())}");
        var cycles = graph.Cycles("StripeMcp");
        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c => string.Join(" <-> ", c) + ": " +
            string.Join("; ", c.SelectMany(a => c.Where(b => b != a && graph.Where.ContainsKey((a, b))).Select(b => $"{a}->{b} in {string.Join(",", graph.Where[(a, b)].Order())}"))))));
    }

    /// <summary>The engine names no transport: the hosts add MCP and HTTP; the engine references neither.</summary>
    [Fact]
    public void The_engine_references_neither_the_MCP_SDK_nor_ASP_NET_Core()
    {
        var engine = typeof(StripeMcp.Pipeline.TypedTool).Assembly;
        Assert.Equal("StripeMcp.Core", engine.GetName().Name);
        var referenced = engine.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(referenced, a => a.StartsWith("ModelContextProtocol", StringComparison.Ordinal) || a.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var project = File.ReadAllText(Support.TestFiles.Repo("src/StripeMcp.Core/StripeMcp.Core.csproj"));
        Assert.DoesNotContain("ModelContextProtocol", project);
        Assert.DoesNotContain("Microsoft.AspNetCore", project);
        var uses = Server.Value.Uses.Where(kv => EngineNamespaces.Contains(kv.Key)).SelectMany(kv => kv.Value.Select(to => (kv.Key, to)))
            .Where(e => e.to.StartsWith("ModelContextProtocol", StringComparison.Ordinal) || e.to.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || HostNamespaces.Contains(e.to)).ToList();
        Assert.Empty(uses);
    }

    private static readonly string[] HostNamespaces = ["StripeMcp.Cli", "StripeMcp.Hosting", "StripeMcp.Http", "StripeMcp.Mcp", "StripeMcp.Prompts", "StripeMcp.Resources", "StripeMcp.Stdio"];

    private static IReadOnlySet<string> EngineNamespaces => Server.Value.Uses.Keys.Where(n => n.StartsWith("StripeMcp", StringComparison.Ordinal) && !HostNamespaces.Contains(n)).ToHashSet();

    /// <summary>A file's using lines say what it depends on, so none names a product namespace it does not use.</summary>
    [Fact]
    public void No_file_imports_a_product_namespace_it_does_not_use()
    {
        var unused = Server.Value.UnusedUsings;
        if (Environment.GetEnvironmentVariable("STRIPE_MCP_FIX_USINGS") == "1")
            foreach (var file in unused.GroupBy(u => u.File))
            {
                var drop = file.Select(u => u.Line).ToHashSet();
                File.WriteAllLines(file.Key, File.ReadAllLines(file.Key).Where((_, i) => !drop.Contains(i + 1)));
            }
        else Assert.True(unused.Count == 0, string.Join("\n", unused.Select(u => $"{Path.GetFileName(u.File)}:{u.Line}: {u.Using}")));
    }
}
