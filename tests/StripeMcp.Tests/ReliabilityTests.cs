using StripeMcp.Sandbox;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>Retries and idempotency hold when the network or Stripe fails: one object, never two.</summary>
public sealed class ReliabilityTests
{
    [Theory]
    [InlineData(Fault.ServerErrorAfter)]
    [InlineData(Fault.ResetAfter)]
    [InlineData(Fault.ServerError)]
    [InlineData(Fault.RateLimit)]
    public async Task A_retried_create_after_a_fault_creates_one_object_not_two(Fault fault)
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_faults", "--stripe-api-base", sandbox.BaseUrl, "--tools", "customers.create,customers.read"]);
        sandbox.Faults.Script(fault);

        var result = await server.CallAsync("create_customer", """{"name":"Exactly once","email":"once@example.com"}""");

        Assert.False(result.IsError ?? false, result.Text());
        var customers = sandbox.Execute("GET", "/v1/customers", "email=once%40example.com")["data"]!.AsArray();
        Assert.Single(customers);
        Assert.Equal(result.Json().GetProperty("id").GetString(), customers[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Faults_on_every_attempt_end_in_an_error_and_nothing_is_created()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var server = await TestServer.StartAsync(["--api-key", "sk_test_faults", "--stripe-api-base", sandbox.BaseUrl, "--tools", "customers.create", "--max-network-retries", "2"]);
        sandbox.Faults.Script(Fault.Unavailable, Fault.Unavailable, Fault.Unavailable);

        var result = await server.CallAsync("create_customer", """{"email":"never@example.com"}""");

        Assert.True(result.IsError);
        Assert.Equal(503, result.Json().GetProperty("error").GetProperty("http_status").GetInt32());
        Assert.Empty(sandbox.Execute("GET", "/v1/customers", "email=never%40example.com")["data"]!.AsArray());
    }
}
