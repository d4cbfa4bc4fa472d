using StripeMcp.Api;
using StripeMcp.Amounts;
using StripeMcp.Tools;

namespace StripeMcp.Tests;

/// <summary>
/// money-parameters.txt is complete and true to the Stripe.net we ship: every parameter (at every depth) of every
/// operation it lists is classified, it lists nothing Stripe.net does not have, every operation with a money rule
/// and every typed write tool's operation is in it, and a typed tool's own parameters are never refused. A
/// Stripe.net upgrade that adds a parameter fails here until someone classifies it.
/// </summary>
public class MoneyClassificationTests
{
    /// <summary>Every parameter path of an operation, as the file names them: a.b inside objects, a[] for list items.</summary>
    internal static IEnumerable<string> Paths(ApiParameter p, string prefix = "")
    {
        var name = prefix + p.Name;
        switch (p.Type)
        {
            case "object":
                foreach (var c in p.Properties ?? []) foreach (var x in Paths(c, name + ".")) yield return x;
                break;
            case "array" when p.Items is { Type: "object" } item:
                foreach (var c in item.Properties ?? []) foreach (var x in Paths(c, name + "[].")) yield return x;
                break;
            case "array":
                yield return name + "[]";
                break;
            case "anyOf":
                yield return name;
                foreach (var o in (p.AnyOf ?? []).Where(a => a.Type == "object"))
                    foreach (var c in o.Properties ?? []) foreach (var x in Paths(c, name + ".")) yield return x;
                break;
            default:
                yield return name;
                break;
        }
    }

    internal static IReadOnlySet<string> PathsOf(ApiOperation op) =>
        op.Parameters.Where(p => !op.Holes.Contains(p.Name)).SelectMany(p => Paths(p)).ToHashSet();

    private static readonly Dictionary<string, ApiOperation> Catalog = ApiCatalog.All.ToDictionary(o => MoneyOperations.Key(o.Method, o.Path));

    [Fact]
    public void Every_parameter_of_every_listed_operation_is_classified_and_nothing_else_is()
    {
        var problems = new List<string>();
        foreach (var key in MoneyParameters.Keys)
        {
            if (!Catalog.TryGetValue(key, out var op)) { problems.Add($"{key}: not an operation of Stripe.net"); continue; }
            var lines = MoneyParameters.For(key)!.Lines;
            var real = PathsOf(op);
            problems.AddRange(real.Where(p => !lines.ContainsKey(p)).Select(p => $"{key}: {p} is not classified"));
            var containers = real.SelectMany(Parents).ToHashSet(); // an object's own line classifies it cleared ("")
            problems.AddRange(lines.Keys.Where(p => !real.Contains(p) && !containers.Contains(p)).Select(p => $"{key}: {p} is classified but Stripe.net has no such parameter"));
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(50)));
    }

    [Fact]
    public void Every_operation_with_a_money_rule_is_classified_and_real()
    {
        Assert.NotEmpty(MoneyOperations.MoneyKeys);
        foreach (var key in MoneyOperations.MoneyKeys)
        {
            Assert.True(Catalog.ContainsKey(key), $"{key} has a rule but Stripe.net has no such operation");
            Assert.True(MoneyParameters.For(key) is not null, $"{key} has a rule but money-parameters.txt does not classify its parameters");
        }
    }

    [Fact]
    public void Every_typed_write_tool_makes_a_classified_operation_and_none_of_its_parameters_is_refused()
    {
        var problems = new List<string>();
        foreach (var tool in ToolCatalog.All.Where(t => !t.ReadOnly))
        {
            var classes = MoneyParameters.For(tool.Operation);
            if (classes is null) { problems.Add($"{tool.Name} ({tool.Operation}): the operation is not in money-parameters.txt, so the tool is refused whenever limits are configured"); continue; }
            foreach (var path in tool.Params.Where(p => !tool.PathParams.Contains(p.Name) && p.Name != ToolDefinition.IdempotencyArgument).SelectMany(p => TypedPaths(p)))
            {
                var line = Lookup(classes, path);
                if (line is null) problems.Add($"{tool.Name}: {path} is not classified");
                else if (line.Class == ParamClass.Refused) problems.Add($"{tool.Name}: {path} is refused under limits, so the tool cannot use its own parameter");
            }
            foreach (var (name, _) in tool.Fixed)
                if (Lookup(classes, name) is null or { Class: ParamClass.Refused }) problems.Add($"{tool.Name}: its fixed field {name} is not measured or neutral");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static IEnumerable<string> Parents(string path)
    {
        for (var i = 0; i < path.Length; i++)
            if (path[i] == '.' || path[i] == '[') yield return path[..i];
    }

    /// <summary>The line that covers a path: its own, or the nearest enclosing one (a map's).</summary>
    private static Classification? Lookup(OperationClasses classes, string path)
    {
        for (var p = path; p.Length > 0;)
        {
            if (classes.Lines.TryGetValue(p, out var c)) return c;
            var cut = Math.Max(p.LastIndexOf('.'), p.EndsWith("[]", StringComparison.Ordinal) ? p.Length - 2 : -1);
            if (cut <= 0) return null;
            p = p[..cut];
        }
        return null;
    }

    private static IEnumerable<string> TypedPaths(Param p, string prefix = "") => p switch
    {
        ObjectParam o => o.Fields.SelectMany(f => TypedPaths(f, prefix + o.Name + ".")),
        ArrayParam { Item: ObjectParam item } a => item.Fields.SelectMany(f => TypedPaths(f, prefix + a.Name + "[].")),
        ArrayParam a => [prefix + a.Name + "[]"],
        _ => [prefix + p.Name],
    };
}
