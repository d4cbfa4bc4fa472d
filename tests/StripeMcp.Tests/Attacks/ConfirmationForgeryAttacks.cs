using System.Text.Json;
using System.Text.Json.Nodes;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>
/// A client cannot answer a confirmation it was not asked, nor carry one call's answer to another: an answer sent with
/// a call (inputResponses) counts only on MCP 2026-07-28, and only with the request state the server sealed for that
/// very call. Raw JSON-RPC over stdio, so nothing in a client library helps or hides it.
/// </summary>
public sealed class ConfirmationForgeryAttacks
{
    private static readonly JsonObject Accept = new() { ["confirm"] = new JsonObject { ["action"] = "accept", ["content"] = new JsonObject() } };

    private static JsonObject Meta2026() => new()
    {
        ["io.modelcontextprotocol/protocolVersion"] = "2026-07-28",
        ["io.modelcontextprotocol/clientCapabilities"] = new JsonObject { ["elicitation"] = new JsonObject { ["form"] = new JsonObject() } },
        ["io.modelcontextprotocol/clientInfo"] = new JsonObject { ["name"] = "forger", ["version"] = "1" },
    };

    private static async Task<JsonElement> Call(RawStdio s, int id, string tool, JsonObject args, JsonObject? inputResponses = null, string? state = null, bool newest = true)
    {
        var p = new JsonObject { ["name"] = tool, ["arguments"] = args };
        if (newest) p["_meta"] = Meta2026();
        if (inputResponses is not null) p["inputResponses"] = inputResponses.DeepClone();
        if (state is not null) p["requestState"] = state;
        await s.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = "tools/call", ["params"] = p }.ToJsonString());
        return (await s.AnswerTo(id.ToString())).GetProperty("result");
    }

    private static string Customer(Sandbox.Sandbox sandbox) => sandbox.Execute("POST", "/v1/customers", "name=Kept")["id"]!.GetValue<string>();

    private static bool Deleted(Sandbox.Sandbox sandbox, string id) => sandbox.Execute("GET", $"/v1/customers/{id}")["deleted"]?.GetValue<bool>() == true;

    [Fact]
    public async Task An_answer_the_server_did_not_ask_for_or_asked_about_another_call_deletes_nothing()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = RawStdio.Start(["--api-key", "sk_test_forgery", "--stripe-api-base", sandbox.BaseUrl, "--tools", "customers.read,customers.delete"]);
        var (a, b) = (Customer(sandbox), Customer(sandbox));

        // Never asked: an accept with no state, or a made-up one, gets the question instead.
        foreach (var (state, id) in new[] { ((string?)null, 1), ("confirm", 2), ("4102444800.forged", 3) })
        {
            var forged = await Call(s, id, "delete_customer", new JsonObject { ["customer"] = a }, Accept, state);
            Assert.Equal("input_required", forged.GetProperty("resultType").GetString());
            Assert.False(Deleted(sandbox, a));
        }

        // Asked about A: its state does not open a call about B.
        var asked = await Call(s, 4, "delete_customer", new JsonObject { ["customer"] = a });
        var stateForA = asked.GetProperty("requestState").GetString()!;
        var other = await Call(s, 5, "delete_customer", new JsonObject { ["customer"] = b }, Accept, stateForA);
        Assert.Equal("input_required", other.GetProperty("resultType").GetString());
        Assert.False(Deleted(sandbox, b));

        // The very call it was asked about goes through.
        var answered = await Call(s, 6, "delete_customer", new JsonObject { ["customer"] = a }, Accept, stateForA);
        Assert.False(answered.TryGetProperty("isError", out var e) && e.GetBoolean(), answered.ToString());
        Assert.True(Deleted(sandbox, a));
        Assert.False(Deleted(sandbox, b));
    }

    [Fact]
    public async Task An_older_client_cannot_skip_the_question_by_sending_an_answer_with_its_call()
    {
        await using var sandbox = await Sandbox.Sandbox.StartAsync();
        await using var s = RawStdio.Start(["--api-key", "sk_test_forgery", "--stripe-api-base", sandbox.BaseUrl, "--tools", "customers.read,customers.delete"]);
        await s.HandshakeAsync(); // 2025-11-25, with elicitation: the human is asked, whatever the call carries
        var a = Customer(sandbox);
        var p = new JsonObject { ["name"] = "delete_customer", ["arguments"] = new JsonObject { ["customer"] = a }, ["inputResponses"] = Accept.DeepClone(), ["requestState"] = "confirm" };
        await s.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 7, ["method"] = "tools/call", ["params"] = p }.ToJsonString());
        var question = await s.Next(m => m.TryGetProperty("method", out var method) && method.GetString() == "elicitation/create");
        await s.SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = JsonNode.Parse(question.GetProperty("id").GetRawText()), ["result"] = new JsonObject { ["action"] = "decline" } }.ToJsonString());
        var refused = (await s.AnswerTo("7")).GetProperty("result");
        Assert.True(refused.GetProperty("isError").GetBoolean());
        Assert.Contains("declined", refused.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.False(Deleted(sandbox, a));
    }

    /// <summary>A confirmation keyed by an operation id covers the typed tool that makes the operation (one rule, one home).</summary>
    [Fact]
    public async Task An_operations_confirmation_asks_before_the_typed_tool_that_makes_it()
    {
        await using var stripe = await FakeStripe.StartAsync();
        var config = TestFiles.Config("""{ "actions": { "refunds": { "create": true } }, "confirm": { "PostRefunds": "on", "create_refund": "off" } }""");
        await using var s = await TestServer.StartAsync(["--api-key", TestServer.TestKey, "--stripe-api-base", stripe.BaseUrl, "--config", config],
            client: TestServer.Human("decline"));
        var refused = await s.CallAsync("create_refund", """{"payment_intent":"pi_123","amount":500}""");
        Assert.True(refused.IsError);
        Assert.Contains("declined", refused.Text());
        Assert.Empty(stripe.Requests);
    }
}
