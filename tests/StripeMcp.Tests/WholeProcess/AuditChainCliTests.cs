using System.Text.Json;
using Microsoft.Data.Sqlite;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>
/// The audit chain as an operator uses it: a server's calls land in the state store, `audit verify` holds
/// for what was written and names the first record of an edited, deleted or reordered chain (exit 2),
/// `audit tail` and `audit export` read it; the --audit-log file goes on as before.
/// </summary>
public sealed class AuditChainCliTests
{
    /// <summary>A state file with five calls' audit records, and the audit-log file of the same server.</summary>
    private static async Task<(string State, string Log)> FiveCalls()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"stripe-mcp-audit-{Guid.NewGuid():N}");
        var (state, log) = (Path.Combine(dir, "state.db"), Path.Combine(dir, "audit.jsonl"));
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using (var server = await TestServer.SpawnAsync(["--api-key", "sk_test_audit", "--stripe-api-base", sandbox.BaseUrl, "--tools", "customers.create,customers.read",
            "--state", state, "--audit-log", log]))
        {
            for (var i = 1; i <= 4; i++) await server.CallAsync("create_customer", $$"""{"name":"Customer {{i}}","email":"c{{i}}@example.com"}""");
            await server.CallAsync("retrieve_customer", """{"customer":"."}"""); // refused: invalid_arguments, audited too
        }
        return (state, log);
    }

    private static Task<Commands.Run> Audit(string state, params string[] args) => Commands.RunAsync(["audit", .. args, "--state", state], null);

    private static void Sql(string state, string sql)
    {
        using (var c = new SqliteConnection($"Data Source={state};Pooling=false"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = sql;
            cmd.ExecuteNonQuery();
        }
    }

    [Fact]
    public async Task Every_call_is_in_the_chain_and_verify_tail_and_export_read_it()
    {
        var (state, log) = await FiveCalls();
        var verify = await Audit(state, "verify");
        Assert.Equal(0, verify.ExitCode);
        Assert.StartsWith("ok: 5 record(s), the chain holds", verify.Stdout);

        var tail = await Audit(state, "tail", "-n", "2");
        var lines = tail.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("#4 ", lines[0]);
        Assert.Contains("create_customer ok", lines[0]);
        Assert.Contains("c***@example.com", lines[0]); // masked as in the file
        Assert.Contains("retrieve_customer invalid_arguments", lines[1]);
        Assert.Equal(0, (await Audit(state, "tail", "--since", "1h")).Stdout.Trim().Split('\n').Length - 5);
        Assert.Contains("No audit records since", (await Audit(state, "tail", "--since", "2099-01-01")).Stderr);

        var export = await Audit(state, "export", "--format", "jsonl");
        Assert.Equal(0, export.ExitCode);
        var records = export.Stdout.Trim().Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], records.Select(r => r.GetProperty("seq").GetInt64()));
        Assert.Equal(records[0].GetProperty("hash").GetString(), records[1].GetProperty("prev").GetString());
        Assert.Equal("create_customer", records[0].GetProperty("event").GetProperty("Tool").GetString());
        // The JSON-lines file has the same events, unchanged in shape.
        var file = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, file.Count);
        Assert.Equal(file.Select(f => f.GetProperty("Tool").GetString()), records.Select(r => r.GetProperty("event").GetProperty("Tool").GetString()));
    }

    public static TheoryData<string, string, string> Tampering => new()
    {
        { "edited", "UPDATE audit SET record = replace(record, 'create_customer', 'list_customers') WHERE seq = 3;", "broken at record 3: its content or time does not match its hash" },
        { "moved in time", "UPDATE audit SET at_ms = at_ms - 86400000 WHERE seq = 3;", "broken at record 3: its content or time does not match its hash" },
        { "deleted", "DELETE FROM audit WHERE seq = 2;", "broken at record 3: record 2 is missing" },
        { "deleted and renumbered", "DELETE FROM audit WHERE seq = 2; UPDATE audit SET seq = seq - 1 WHERE seq > 2;", "broken at record 2: it does not link to record 1" },
        { "reordered", "UPDATE audit SET seq = -1 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 4; UPDATE audit SET seq = 4 WHERE seq = -1;", "broken at record 2: it does not link to record 1" },
        { "rewritten with a new hash", "UPDATE audit SET record = replace(record, 'Customer 3', 'Someone else'), hash = 'f' || substr(hash, 2) WHERE seq = 3;", "broken at record 3" },
    };

    [Theory, MemberData(nameof(Tampering))]
    public async Task Verify_names_the_first_record_of_a_tampered_chain_and_exits_2(string what, string sql, string expected)
    {
        var (state, _) = await FiveCalls();
        Sql(state, sql);
        var verify = await Audit(state, "verify");
        Assert.True(verify.ExitCode == 2, $"{what}: exit {verify.ExitCode}, {verify.Stdout}");
        Assert.StartsWith(expected, verify.Stdout);
    }

    [Fact]
    public async Task The_audit_commands_refuse_what_they_cannot_use()
    {
        var (state, _) = await FiveCalls();
        var missing = await Commands.RunAsync("audit", "verify", "--state", Path.Combine(Path.GetTempPath(), $"none-{Guid.NewGuid():N}", "state.db"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no state store at", missing.Stderr);
        var since = await Audit(state, "tail", "--since", "yesterday");
        Assert.Equal(2, since.ExitCode);
        Assert.Contains("--since: 'yesterday' is neither a duration", since.Stderr);
        var format = await Audit(state, "export", "--format", "csv");
        Assert.Equal(2, format.ExitCode);
        Assert.Contains("--format: 'csv'", format.Stderr);
        var serveOption = await Audit(state, "verify", "--tools", "all");
        Assert.Equal(2, serveOption.ExitCode);
        Assert.Contains("--tools: not an option of 'verify'", serveOption.Stderr);
        var down = await Commands.RunAsync(["audit", "verify"], new() { ["STRIPE_MCP_POSTGRES"] = "Host=127.0.0.1;Port=1;Database=x;Password=cli-secret;Timeout=2" });
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("PostgreSQL 127.0.0.1:1/x", down.Stderr);
        Assert.DoesNotContain("cli-secret", down.Stderr + down.Stdout);
    }
}
