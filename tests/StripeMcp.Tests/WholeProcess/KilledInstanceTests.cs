using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;
using static StripeMcp.Tests.Support.SharedStore;

namespace StripeMcp.Tests.WholeProcess;

/// <summary>An instance sharing a PostgreSQL state store, killed (SIGKILL) in the middle of a limited call.</summary>
public sealed class KilledInstanceTests
{
    [Fact]
    public async Task An_instance_killed_mid_call_leaves_its_reservation_counted_for_the_other_and_listed_as_uncertain()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        var postgres = await PostgresServer.NewDatabaseAsync();
        var pi = PaymentIntent(sandbox, 50000);
        await using var b = await Instance(sandbox, postgres, spawn: true);
        await using var cb = await Client(b);
        await using (var a = await Instance(sandbox, postgres, spawn: true))
        {
            await using var ca = await Client(a);
            Assert.Equal("ok", Type(await Refund(ca, pi, 500))); // the account behind the key is known from here on
            sandbox.Faults.Stall = TimeSpan.FromSeconds(60);
            var faultsBefore = sandbox.Counters.Faults;
            sandbox.Faults.Script(Fault.None, Fault.None, Fault.Stall); // the lookups for the limit (payment intent, charge) pass; the refund itself stalls
            var stuck = Refund(ca, pi, 8000);
            await Eventually.True(() => sandbox.Counters.Faults > faultsBefore);
            a.Process.Kill(); // SIGKILL: no chance to settle or release
            await a.Process.WaitForExitAsync();
            await Assert.ThrowsAnyAsync<Exception>(() => stuck);
        }

        // 500 settled + 8,000 whose outcome nobody knows: 1,500 left, not 9,500.
        var refused = (await Refund(cb, pi, 2000)).Error();
        Assert.Equal("limits.refunds.maxTotal.usd", refused.GetProperty("limit").GetString());
        Assert.Contains("already used 8,500", refused.GetProperty("message").GetString());
        Assert.Equal("ok", Type(await Refund(cb, pi, 1500)));

        // And an operator sees it (once it is older than the --older-than given).
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var listed = await Commands.RunAsync(["audit", "uncertain", "--older-than", "1s"], new() { ["STRIPE_MCP_POSTGRES"] = postgres });
        Assert.Equal(0, listed.ExitCode);
        Assert.Contains("create_refund 8,000 usd", listed.Stdout);
        Assert.Single(listed.Stdout.Trim().Split('\n'));
        Assert.Contains("never reported back", listed.Stderr);

        var verified = await Commands.RunAsync(["audit", "verify"], new() { ["STRIPE_MCP_POSTGRES"] = postgres });
        Assert.Equal(0, verified.ExitCode);
        Assert.StartsWith("ok: ", verified.Stdout);
    }
}
