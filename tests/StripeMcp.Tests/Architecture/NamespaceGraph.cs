using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Architecture;

/// <summary>
/// Which namespace of a project uses which, read from its source with the compiler's own binding (Roslyn): every
/// name in a file resolved to its symbol, and the symbol's namespace (or, for a member, its type's) counted. Only
/// the project's own namespaces, and the outside ones asked about, are kept.
/// </summary>
public sealed class NamespaceGraph
{
    public required IReadOnlyDictionary<string, IReadOnlySet<string>> Uses { get; init; }

    /// <summary>For each namespace, which files use a given outside namespace (prefix), for messages.</summary>
    public required IReadOnlyDictionary<(string From, string To), IReadOnlySet<string>> Where { get; init; }

    /// <summary>Using directives of the product's namespaces that a file does not need (the compiler's CS8019), as file:line.</summary>
    public required IReadOnlyList<(string File, int Line, string Using)> UnusedUsings { get; init; }

    private static readonly Lazy<IReadOnlyList<MetadataReference>> References = new(() =>
    {
        var tpa = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var here = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        var aspnet = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Builder.WebApplication).Assembly.Location)!;
        return [.. tpa.Concat(here).Concat(Directory.GetFiles(aspnet, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase).Select(g => g.First())
            .Where(p => !Path.GetFileName(p).StartsWith("StripeMcp", StringComparison.Ordinal) || p.Contains("Sandbox"))
            .Select(p => MetadataReference.CreateFromFile(p))];
    });

    /// <param name="sourceFolders">Folders under the repository (e.g. src/StripeMcp) compiled together.</param>
    public static NamespaceGraph Of(params string[] sourceFolders)
    {
        var trees = sourceFolders.SelectMany(f => Directory.GetFiles(TestFiles.Repo(f), "*.cs", SearchOption.AllDirectories))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(p => CSharpSyntaxTree.ParseText(File.ReadAllText(p), new CSharpParseOptions(LanguageVersion.Preview), path: p))
            .ToList();
        var compilation = CSharpCompilation.Create("graph", trees, References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var uses = new Dictionary<string, HashSet<string>>();
        var unused = new List<(string, int, string)>();
        var where = new Dictionary<(string, string), HashSet<string>>();
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            var root = tree.GetRoot();
            foreach (var d in model.GetDiagnostics().Where(d => d.Id == "CS8019"))
            {
                var text = d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan).Trim();
                if (text.StartsWith("using StripeMcp", StringComparison.Ordinal))
                    unused.Add((tree.FilePath, d.Location.GetLineSpan().StartLinePosition.Line + 1, text));
            }
            foreach (var type in root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Where(t => t.Parent is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax))
            {
                var from = model.GetDeclaredSymbol(type)?.ContainingNamespace?.ToDisplayString() ?? "";
                if (!uses.TryGetValue(from, out var set)) uses[from] = set = [];
                foreach (var node in type.DescendantNodes().OfType<SimpleNameSyntax>())
                {
                    var symbol = model.GetSymbolInfo(node).Symbol ?? model.GetSymbolInfo(node).CandidateSymbols.FirstOrDefault();
                    var ns = symbol switch
                    {
                        INamespaceSymbol => null,
                        ITypeSymbol t => t.ContainingNamespace,
                        { ContainingType: { } owner } => owner.ContainingNamespace,
                        _ => null,
                    };
                    var name = ns?.ToDisplayString();
                    if (name is null || name == from || ns!.IsGlobalNamespace) continue;
                    set.Add(name);
                    if (!where.TryGetValue((from, name), out var files)) where[(from, name)] = files = [];
                    files.Add(Path.GetFileName(tree.FilePath));
                }
            }
        }
        return new NamespaceGraph
        {
            Uses = uses.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value),
            Where = where.ToDictionary(kv => kv.Key, kv => (IReadOnlySet<string>)kv.Value),
            UnusedUsings = unused,
        };
    }

    /// <summary>Pairs of the project's own namespaces that use each other, directly or through others (each cycle's members).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles(string prefix)
    {
        var nodes = Uses.Keys.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        IEnumerable<string> Next(string n) => Uses.TryGetValue(n, out var s) ? s.Where(x => x.StartsWith(prefix, StringComparison.Ordinal) && Uses.ContainsKey(x)) : [];
        // Tarjan's strongly connected components; a component of more than one namespace is a loop.
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var on = new HashSet<string>();
        var result = new List<IReadOnlyList<string>>();
        void Visit(string v)
        {
            index[v] = low[v] = index.Count;
            stack.Push(v);
            on.Add(v);
            foreach (var w in Next(v))
            {
                if (!index.ContainsKey(w)) { Visit(w); low[v] = Math.Min(low[v], low[w]); }
                else if (on.Contains(w)) low[v] = Math.Min(low[v], index[w]);
            }
            if (low[v] != index[v]) return;
            var component = new List<string>();
            string x;
            do { x = stack.Pop(); on.Remove(x); component.Add(x); } while (x != v);
            if (component.Count > 1) result.Add([.. component.Order(StringComparer.Ordinal)]);
        }
        foreach (var n in nodes) if (!index.ContainsKey(n)) Visit(n);
        return result;
    }
}
