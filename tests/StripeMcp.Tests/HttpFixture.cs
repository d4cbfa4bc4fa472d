using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.Client;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>The HTTP server in-process on 127.0.0.1:0, against a sandbox, driven by the SDK's HttpClientTransport.</summary>
public sealed class HttpFixture : IAsyncLifetime
{
    public const string Admin = "admin-token-0123456789", Reader = "reader-token-0123456789", Billing = "billing-token-0123456789", Limited = "limited-token-0123456789", Pinned = "pinned-token-0123456789";
    public const string Key = "sk_test_httpSecretKey0123456789";

    public Sandbox.Sandbox Sandbox { get; private set; } = null!;
    public WebApplication App { get; private set; } = null!;
    public string Url { get; private set; } = null!;
    public string PinnedAccount { get; private set; } = null!;

    public static string Hash(string token) => Convert.ToHexStringLower(TokenPolicy.Hash(token));

    public async Task InitializeAsync()
    {
        Sandbox = await StripeMcp.Sandbox.Sandbox.StartAsync();
        PinnedAccount = Sandbox.Execute("POST", "/v1/accounts", "type=custom&capabilities[transfers][requested]=true")["id"]!.GetValue<string>();
        var config = Path.Combine(Path.GetTempPath(), $"stripe-mcp-http-{Guid.NewGuid():N}.json");
        File.WriteAllText(config, $$"""
            {
              "toolsets": ["all"],
              "context": { "accounts": "*" },
              "http": {
                "maxBodyBytes": 4096,
                "allowedOrigins": ["https://agent.example.com"],
                "allowedHosts": ["127.0.0.1", "localhost"],
                "tokens": [
                  { "name": "admin", "sha256": "{{Hash(Admin)}}" },
                  { "name": "reader", "sha256": "{{Hash(Reader)}}", "toolsets": ["customers"], "readOnly": true },
                  { "name": "billing", "sha256": "{{Hash(Billing)}}", "toolsets": ["billing"], "deny": ["void_invoice"] },
                  { "name": "limited", "sha256": "{{Hash(Limited)}}", "actions": { "balance": { "read": true } }, "rateLimitPerMinute": 4 },
                  { "name": "pinned", "sha256": "{{Hash(Pinned)}}", "toolsets": ["customers"], "account": "{{PinnedAccount}}" }
                ]
              }
            }
            """);
        var result = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, ApiKey = Key, StripeApiBase = Sandbox.BaseUrl }, _ => null);
        Assert.True(result.Ok, string.Join("\n", result.Problems));
        App = StripeMcp.Http.HttpServer.Build(result.Options, Hosting.Logging.Create(Serilog.Events.LogEventLevel.Warning, Console.Error));
        await App.StartAsync();
        Url = App.Urls.First();
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    public Task<McpClient> Connect(string? token, Dictionary<string, string>? headers = null, string human = "accept")
    {
        var extra = new Dictionary<string, string>(headers ?? []);
        if (token is not null) extra["Authorization"] = $"Bearer {token}";
        return TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(Url + "/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = extra,
        }), TestServer.Human(human));
    }
}
