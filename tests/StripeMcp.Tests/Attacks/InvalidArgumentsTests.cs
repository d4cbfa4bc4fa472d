using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;
using Xunit.Abstractions;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// Part A: for every published tool, calls one fault away from a valid call, generated from its inputSchema
/// (<see cref="SchemaFaults"/>). Each must come back as {"error":{"type":"invalid_arguments","problems":[…]}}
/// naming the faulty argument, leave exactly one audit line saying invalid_arguments, leak no secret, and
/// send nothing to Stripe. One server for all of them; failures are gathered, not stopped at.
/// </summary>
public sealed partial class InvalidArgumentsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(20);
    private static readonly string SecretTail = TestServer.TestKey["sk_test_".Length..];

    private sealed record Outcome(FaultCase Case, List<string> Failures, int AuditLines);

    [Fact]
    public async Task Every_tool_refuses_every_one_fault_call_as_invalid_arguments_and_sends_nothing()
    {
        await using var stripe = await FakeStripe.StartAsync();
        await using var server = await RawMcpServer.StartAsync(stripe, "--tools", "all");

        // The typed tools (the generic path's arguments are one operation's, checked in GenericApiTests).
        var tools = (await server.Client.ListToolsAsync()).Where(t => !t.Name.StartsWith("stripe_api_", StringComparison.Ordinal) && t.Name != DocsSearchTool.Name).ToList(); // the documentation search's refusals: DocsSearchTests
        Assert.Equal(ToolCatalog.All.Count, tools.Count);
        // From each tool's strict schema: the published one leaves out rules (lengths, whole id patterns) that are
        // checked all the same; SchemaTests keeps the two schemas the same but for those rules.
        var cases = tools.SelectMany(t => SchemaFaults.For(t.Name, ToolCatalog.Find(t.Name)!.InputSchema(strict: true))).ToList();
        Assert.True(cases.Count > 1000, $"only {cases.Count} cases generated");
        Assert.All(tools, t => Assert.Contains(cases, c => c.Tool == t.Name));
        // STRIPE_MCP_ADVERSARIAL_DUMP=path writes every generated case (one a line: tool [category] fault @ path, then the arguments).
        if (Environment.GetEnvironmentVariable("STRIPE_MCP_ADVERSARIAL_DUMP") is { Length: > 0 } dump)
            await File.WriteAllLinesAsync(dump, cases.Select(c => $"{c}\t{(c.ArgumentsJson.Length > 400 ? c.ArgumentsJson[..400] + "…" : c.ArgumentsJson)}"));

        // Give the start-up lines time to arrive, so they are not counted as a call's.
        await Task.Delay(500);
        var stderrStart = server.StderrCount;
        stripe.Reset();
        var outcomes = new List<Outcome>();
        var slowCategories = new HashSet<string>();
        var clock = Stopwatch.StartNew();

        foreach (var c in cases)
        {
            if (c.Category == "generator")
            {
                outcomes.Add(new Outcome(c, ["the generator found no valid call with this argument (test bug)"], 0));
                continue;
            }
            var failures = new List<string>();
            var requestsBefore = stripe.Requests.Count;
            var auditBefore = AuditLines(server.StderrFrom(stderrStart)).Count;
            CallToolResult? result = null;
            try
            {
                result = await CallAsync(server, c, slowCategories.Contains(c.Category) ? TimeSpan.FromSeconds(2) : CallTimeout);
            }
            catch (TimeoutException e)
            {
                slowCategories.Add(c.Category);
                failures.Add($"no answer: {e.Message}");
            }
            catch (OperationCanceledException)
            {
                slowCategories.Add(c.Category);
                failures.Add($"no answer within {CallTimeout.TotalSeconds:F0} s");
            }
            catch (Exception e) when (e is McpException or RawRpcError)
            {
                // JSON nested deeper than 64 is no JSON-RPC message the MCP SDK reads: it refuses the line as a
                // parse error (-32700) before any tool exists for it, so there is no call to audit. Anything else
                // must be a tool result.
                if (!(IsParseRefusal(c) && e.Message.Contains("-32700")))
                    failures.Add($"JSON-RPC error instead of a tool result: {Short(e.Message)}");
            }
            if (result is not null) failures.AddRange(CheckResult(c, result));

            var reached = stripe.Requests.Skip(requestsBefore).Select(r => $"{r.Method} {r.Path}{r.Query}").ToList();
            if (reached.Count > 0) failures.Add($"reached Stripe: {Short(string.Join(", ", reached))}");

            // The audit line is written before the answer; give its pipe a moment to catch up.
            var poll = Stopwatch.StartNew();
            var lines = AuditLines(server.StderrFrom(stderrStart));
            while (lines.Count == auditBefore && poll.ElapsedMilliseconds < 300)
            {
                await Task.Delay(5);
                lines = AuditLines(server.StderrFrom(stderrStart));
            }
            var mine = lines.Skip(auditBefore).ToList();
            if (IsParseRefusal(c))
            {
                if (result is not null) failures.Add("a tool ran for JSON deeper than the transport reads");
                if (mine.Count != 0) failures.Add($"{mine.Count} audit lines for a message no tool received");
                outcomes.Add(new Outcome(c, failures, mine.Count));
                continue;
            }
            if (mine.Count != 1) failures.Add($"{mine.Count} audit lines instead of 1");
            foreach (var (tool, outcome) in mine)
            {
                if (tool != c.Tool) failures.Add($"audit line names tool {Short(tool)}");
                if (outcome != "invalid_arguments") failures.Add($"audit outcome {outcome}");
            }
            outcomes.Add(new Outcome(c, failures, mine.Count));
        }
        var elapsed = clock.Elapsed;

        // After the run: exactly one audit line per call, in the order of the calls, each invalid_arguments.
        var called = outcomes.Where(o => o.Case.Category != "generator" && !IsParseRefusal(o.Case)).Select(o => o.Case).ToList();
        var deadline = Stopwatch.StartNew();
        while (AuditLines(server.StderrFrom(stderrStart)).Count < called.Count && deadline.Elapsed < TimeSpan.FromSeconds(5)) await Task.Delay(100);
        var audit = AuditLines(server.StderrFrom(stderrStart));
        var globalFailures = new List<string>();
        if (audit.Count != called.Count) globalFailures.Add($"{audit.Count} audit lines for {called.Count} calls");
        var firstOutOfOrder = Enumerable.Range(0, Math.Min(audit.Count, called.Count)).FirstOrDefault(i => audit[i].Tool != called[i].Tool, -1);
        if (firstOutOfOrder >= 0)
            globalFailures.Add($"audit line {firstOutOfOrder} names {Short(audit[firstOutOfOrder].Tool)} but call {firstOutOfOrder} was {called[firstOutOfOrder]}");
        var notInvalid = audit.Count(a => a.Outcome != "invalid_arguments");
        if (notInvalid > 0)
            globalFailures.Add($"{notInvalid} audit lines say something else than invalid_arguments: {string.Join(", ", audit.Where(a => a.Outcome != "invalid_arguments").GroupBy(a => a.Outcome).Select(g => $"{g.Key} ×{g.Count()}"))}");
        if (stripe.Requests.Count > 0)
            globalFailures.Add($"{stripe.Requests.Count} requests reached FakeStripe for invalid calls (must be 0), e.g. {Short(string.Join(", ", stripe.Requests.Take(5).Select(r => $"{r.Method} {r.Path}")))}");
        // A line arriving after its case's short wait was counted as missing there: when the run as a whole is in order, forgive that.
        if (globalFailures.Count == 0)
            foreach (var o in outcomes) o.Failures.RemoveAll(f => f.EndsWith("audit lines instead of 1"));

        var stderr = server.Stderr;
        var leaking = stderr.Where(l => l.Contains(SecretTail)).ToList();
        if (leaking.Count > 0) globalFailures.Add($"the API key is on stderr ({leaking.Count} lines), e.g. {Short(leaking[0])}");

        // Still serving.
        stripe.Reset();
        stripe.Enqueue(new Scripted(200, """{"id":"cus_Alive1","object":"customer","name":"Still here"}"""));
        try
        {
            var alive = await server.Client.CallToolAsync("retrieve_customer", new Dictionary<string, object?> { ["customer"] = "cus_Alive1" },
                cancellationToken: new CancellationTokenSource(CallTimeout).Token);
            if (alive.IsError == true || !alive.Text().Contains("cus_Alive1")) globalFailures.Add($"the valid call at the end failed: {Short(alive.Text())}");
        }
        catch (Exception e)
        {
            globalFailures.Add($"the valid call at the end failed: {e.GetType().Name} {Short(e.Message)}");
        }

        output.WriteLine(Table(outcomes, elapsed));
        var failed = outcomes.Where(o => o.Failures.Count > 0).ToList();
        var message = new StringBuilder();
        foreach (var g in globalFailures) message.AppendLine(g);
        if (failed.Count > 0)
        {
            message.AppendLine($"{failed.Count} of {outcomes.Count} cases failed; the first {Math.Min(30, failed.Count)}:");
            foreach (var o in failed.Take(30)) message.AppendLine($"  {o.Case}: {string.Join("; ", o.Failures)}  args={Short(o.Case.ArgumentsJson, 160)}");
            // One example per category, so every kind of hole is in the message.
            message.AppendLine("one per failing category:");
            foreach (var g in failed.GroupBy(o => o.Case.Category))
                message.AppendLine($"  [{g.Key}] {g.First().Case}: {string.Join("; ", g.First().Failures)}");
        }
        Assert.True(globalFailures.Count == 0 && failed.Count == 0, message.ToString());
    }

    /// <summary>Faults the transport refuses as a malformed message (-32700) before any tool sees them.</summary>
    private static bool IsParseRefusal(FaultCase c) => c.Category == "deep_object";

    private static async Task<CallToolResult> CallAsync(RawMcpServer server, FaultCase c, TimeSpan timeout)
    {
        if (c.Raw) return await server.CallRawAsync(c.Tool, c.ArgumentsJson, timeout);
        using var doc = JsonDocument.Parse(c.ArgumentsJson);
        var args = doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());
        using var cts = new CancellationTokenSource(timeout);
        return await server.Client.CallToolAsync(new CallToolRequestParams { Name = c.Tool, Arguments = args }, cts.Token);
    }

    private static IEnumerable<string> CheckResult(FaultCase c, CallToolResult result)
    {
        var text = result.Text();
        if (text.Contains(SecretTail) || (result.StructuredContent?.GetRawText().Contains(SecretTail) ?? false)) yield return "the API key is in the result";
        if (result.IsError != true)
        {
            yield return $"not an error: {Short(text)}";
            yield break;
        }
        if (ErrorObject(text) is not { } error)
        {
            yield return $"error result is not {{\"error\":{{…}}}} JSON: {Short(text)}";
            yield break;
        }
        var type = error.TryGetProperty("type", out var t) ? t.ToString() : "(none)";
        if (type != "invalid_arguments")
        {
            yield return $"error type {type}: {Short(error.TryGetProperty("message", out var m) ? m.ToString() : text)}";
            yield break;
        }
        if (!error.TryGetProperty("problems", out var problems) || problems.ValueKind != JsonValueKind.Array || problems.GetArrayLength() == 0)
        {
            yield return "no problems array";
            yield break;
        }
        var list = problems.EnumerateArray().Select(p => p.ToString()).ToList();
        if (!list.Any(p => Names(p, c.Path))) yield return $"no problem names \"{c.Path}\": {Short(string.Join(" | ", list))}";
    }

    /// <summary>The "error" object of a result's text, or null when the text is not {"error":{…}}.</summary>
    public static JsonElement? ErrorObject(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object
                ? e.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// The problem names the argument: its path as a whole token ("items[0].price", not "price" alone, not
    /// "customers"); a JSONPath-style "$." in front is fine too.
    /// </summary>
    private static bool Names(string problem, string path) =>
        Regex.IsMatch(problem.Replace("$.", " "), $@"(?<![A-Za-z0-9_.\[\]]){Regex.Escape(path)}(?![A-Za-z0-9_])");

    private static List<(string Tool, string Outcome)> AuditLines(IEnumerable<string> stderr) =>
        stderr.Select(l => AuditRegex().Match(l)).Where(m => m.Success).Select(m => (m.Groups[1].Value, m.Groups[2].Value)).ToList();

    [GeneratedRegex(@" audit (\S+) (\S+) ")]
    private static partial Regex AuditRegex();

    private static string Short(string s, int max = 240)
    {
        s = s.Replace("\n", "\\n").Replace("\r", "\\r");
        return s.Length > max ? s[..max] + "…" : s;
    }

    /// <summary>Cases and failures per category, and what failed, as a Markdown table.</summary>
    private static string Table(List<Outcome> outcomes, TimeSpan elapsed)
    {
        static string Reason(string f) => f switch
        {
            _ when f.StartsWith("reached Stripe") => "reached Stripe",
            _ when f.StartsWith("not an error") => "not an error",
            _ when f.StartsWith("JSON-RPC error") => "JSON-RPC error",
            _ when f.StartsWith("no answer") => "no answer",
            _ when f.StartsWith("error result is not") => "not error JSON",
            _ when f.StartsWith("error type ") => "error type " + f["error type ".Length..].Split(':')[0],
            _ when f.StartsWith("no problem names") => "problem does not name the path",
            _ when f.Contains("audit lines instead of 1") => "audit lines ≠ 1",
            _ when f.StartsWith("audit outcome") => "audit " + f["audit ".Length..],
            _ => f.Split(':')[0],
        };
        var sb = new StringBuilder();
        sb.AppendLine($"Adversarial arguments: {outcomes.Count} cases over {outcomes.Select(o => o.Case.Tool).Distinct().Count()} tools in {elapsed.TotalSeconds:F0} s");
        sb.AppendLine();
        sb.AppendLine("| category | cases | failed | what failed (cases) |");
        sb.AppendLine("|---|---:|---:|---|");
        foreach (var g in outcomes.GroupBy(o => o.Case.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var failed = g.Where(o => o.Failures.Count > 0).ToList();
            var reasons = failed.SelectMany(o => o.Failures.Select(Reason).Distinct()).GroupBy(r => r).OrderByDescending(r => r.Count()).Select(r => $"{r.Key} {r.Count()}");
            sb.AppendLine($"| {g.Key} | {g.Count()} | {failed.Count} | {string.Join(", ", reasons)} |");
        }
        var all = outcomes.Where(o => o.Failures.Count > 0).ToList();
        sb.AppendLine($"| **total** | {outcomes.Count} | {all.Count} | |");
        sb.AppendLine();
        sb.AppendLine("Failing faults (category / fault: failed of cases):");
        foreach (var g in outcomes.GroupBy(o => (o.Case.Category, o.Case.Kind)).Where(g => g.Any(o => o.Failures.Count > 0)).OrderBy(g => g.Key.Category, StringComparer.Ordinal))
            sb.AppendLine($"  {g.Key.Category} / {g.Key.Kind}: {g.Count(o => o.Failures.Count > 0)} of {g.Count()}");
        return sb.ToString();
    }
}
