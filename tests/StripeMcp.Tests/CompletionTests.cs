using ModelContextProtocol.Protocol;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>completion/complete through the MCP client, against the sandbox's demo data.</summary>
public sealed class CompletionTests
{
    private static async Task<IList<string>> Complete(TestServer s, Reference reference, string argument, string typed) =>
        (await s.Client.CompleteAsync(reference, argument, typed)).Completion.Values;

    [Fact]
    public async Task Ids_complete_from_the_callers_own_list_tool_filtered_by_what_is_typed()
    {
        await using var s = await TestServer.StartAsync(["--sandbox", "--tools", "customers.read,paymentIntents.read,refunds.create"]);
        Assert.NotNull(s.Client.ServerCapabilities.Completions);
        var customers = (await s.CallAsync("list_customers", """{"limit":100}""")).Json().GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(customers);
        var template = new ResourceTemplateReference { Uri = "stripe://customers/{id}" };
        Assert.Equal(customers, await Complete(s, template, "id", "cus_"));
        var first = customers[0];
        Assert.Contains(first, await Complete(s, template, "id", first[..8]));
        Assert.All(await Complete(s, template, "id", first[..8]), id => Assert.StartsWith(first[..8], id));
        Assert.Empty(await Complete(s, template, "id", "pi_"));
        await Eventually.True(() => s.Stderr.Count(l => l.Contains("audit list_customers ok")) >= 4); // each completion is the list tool's call

        // A prompt's id argument completes from the same tools; its choices from its values.
        var payments = (await s.CallAsync("list_payment_intents", """{"limit":100}""")).Json().GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).ToList();
        var prompt = new PromptReference { Name = "refund_payment" };
        Assert.Equal(payments, await Complete(s, prompt, "payment_intent", "pi_"));
        Assert.Equal(["duplicate"], await Complete(s, prompt, "reason", "d"));
        Assert.Equal(["refunds-disputes"], await Complete(s, new ResourceTemplateReference { Uri = "stripe-mcp://guides/{topic}" }, "topic", "ref"));

        // Text that cannot begin an id, an unknown template or argument, a prompt this caller cannot run: nothing, and no call.
        var calls = s.Stderr.Count(l => l.Contains("audit list_"));
        foreach (var hostile in new[] { "../", "cus_' OR 1=1", "cus_%2F", new string('c', 300) })
            Assert.Empty(await Complete(s, template, "id", hostile));
        Assert.Empty(await Complete(s, new ResourceTemplateReference { Uri = "stripe://invoices/{id}" }, "id", "in_"));
        Assert.Empty(await Complete(s, template, "customer", "cus_"));
        Assert.Empty(await Complete(s, new ResourceTemplateReference { Uri = "stripe://{id}" }, "id", "cus_"));
        Assert.Empty(await Complete(s, new ResourceTemplateReference { Uri = "stripe:///{id}" }, "id", "cus_"));
        Assert.Empty(await Complete(s, new PromptReference { Name = "answer_dispute" }, "dispute", "dp_"));
        await Task.Delay(300);
        Assert.Equal(calls, s.Stderr.Count(l => l.Contains("audit list_")));
    }
}
