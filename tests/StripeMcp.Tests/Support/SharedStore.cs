using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace StripeMcp.Tests.Support;

/// <summary>Servers sharing one PostgreSQL state store (SharedStateTests in process, WholeProcess/KilledInstanceTests spawned), and the refunds they race.</summary>
public static class SharedStore
{
    public const string Config = """
        { "toolsets": ["all"], "confirm": { "create_refund": "off" }, "http": { "rateLimitPerMinute": 100000 },
          "limits": { "refunds": { "maxTotal": { "usd": 10000 }, "window": "24h" } } }
        """;

    /// <param name="spawn">A process of its own (one a test kills), else one in this process.</param>
    public static Task<HttpTestServer> Instance(Sandbox.Sandbox sandbox, string postgres, bool spawn = false)
    {
        string[] args = ["--api-key", "sk_test_shared", "--stripe-api-base", sandbox.BaseUrl, "--config", TestFiles.Config(Config)];
        Dictionary<string, string?> env = new() { ["STRIPE_MCP_POSTGRES"] = postgres };
        return spawn ? HttpTestServer.SpawnAsync(args, env) : HttpTestServer.StartAsync(args, env);
    }

    public static Task<McpClient> Client(HttpTestServer server) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(server.Url + "/mcp"),
        TransportMode = HttpTransportMode.StreamableHttp,
    }));

    public static string PaymentIntent(Sandbox.Sandbox sandbox, long amount) =>
        sandbox.Execute("POST", "/v1/payment_intents", $"amount={amount}&currency=usd&payment_method=pm_card_visa&confirm=true")["id"]!.GetValue<string>();

    public static async Task<CallToolResult> Refund(McpClient client, string pi, long amount) =>
        await client.CallToolAsync("create_refund", new Dictionary<string, object?> { ["payment_intent"] = pi, ["amount"] = amount });

    public static string Type(CallToolResult r) => r.IsError == true ? r.Error().GetProperty("type").GetString()! : "ok";
}
