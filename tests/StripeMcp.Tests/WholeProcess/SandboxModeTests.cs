using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.WholeProcess;

public sealed class SandboxModeTests
{
    [Fact]
    public async Task Sandbox_mode_serves_every_tool_over_seeded_demo_data_without_a_key()
    {
        await using var server = await TestServer.SpawnAsync(["--sandbox"]);
        Assert.Equal(ToolCatalog.All.Count + Inventory.Surface.Count(s => s.Name != Inventory.ReceivedEvents), (await server.Client.ListToolsAsync()).Count); // every typed and surface tool but the receiver's (stdio has none)
        var products = (await server.CallAsync("list_products")).Json().GetProperty("data");
        Assert.Contains(products.EnumerateArray(), p => p.GetProperty("name").GetString() == "Pro plan");
        var paid = (await server.CallAsync("list_invoices", """{"status":"paid"}""")).Json().GetProperty("data");
        Assert.NotEqual(0, paid.GetArrayLength());
        var balance = (await server.CallAsync("retrieve_balance")).Json();
        Assert.True(balance.GetProperty("available")[0].GetProperty("amount").GetInt64() > 0);
        await Eventually.True(() => server.Stderr.Any(l => l.Contains("SANDBOX mode")));
    }

    [Fact]
    public async Task The_sandbox_command_serves_Stripe_alone_on_a_port()
    {
        using var p = Process.Start(TestServer.StartInfo(["sandbox", "--port", "0", "--seed"]))!;
        try
        {
            var url = await p.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.StartsWith("http://127.0.0.1:", url);
            using var http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "rk_test_other");
            var customers = JsonDocument.Parse(await http.GetStringAsync(url + "/v1/customers")).RootElement;
            Assert.Equal(3, customers.GetProperty("data").GetArrayLength());
        }
        finally { p.Kill(entireProcessTree: true); }
    }
}
