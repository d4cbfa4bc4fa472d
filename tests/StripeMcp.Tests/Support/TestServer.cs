using System.Collections.Concurrent;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A stripe-mcp server over stdio and the SDK's own client talking to it. <see cref="StartAsync(IEnumerable{string}, Dictionary{string, string?}?, McpClientOptions?)"/>
/// runs it in this process (<see cref="InProcessServer"/>: the program's code from its command line, on pipes);
/// <see cref="SpawnAsync"/> starts the executable, exactly as Claude Desktop does, for the whole-process suite.
/// Its stderr is kept so tests can assert on logs.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    public const string TestKey = "sk_test_51FakeKeyForTests0123456789abcdef";

    private readonly InProcessServer? _inProcess;

    public McpClient Client { get; }
    public ConcurrentQueue<string> Stderr { get; }

    private TestServer(McpClient client, ConcurrentQueue<string> stderr, InProcessServer? inProcess) => (Client, Stderr, _inProcess) = (client, stderr, inProcess);

    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "stripe-mcp.dll");

    /// <summary>
    /// STRIPE_MCP_TEST_SERVER names another build to test (CI sets it to the Dockerfile's trimmed,
    /// self-contained executable); otherwise the server built beside the tests runs under dotnet.
    /// </summary>
    public static readonly string? OtherBuild = Environment.GetEnvironmentVariable("STRIPE_MCP_TEST_SERVER") is { Length: > 0 } s ? Path.GetFullPath(s) : null;

    public static (string Command, List<string> Arguments) Launch(IEnumerable<string> args) =>
        OtherBuild is { } exe ? (exe, [.. args]) : ("dotnet", [ServerDll, .. args]);

    public static System.Diagnostics.ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var (command, arguments) = Launch(args);
        var psi = new System.Diagnostics.ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        foreach (var (k, v) in CleanEnvironment()) psi.Environment[k] = v;
        return psi;
    }

    /// <summary>Environment with none of the server's variables inherited from the machine running the tests.</summary>
    public static Dictionary<string, string?> CleanEnvironment(Dictionary<string, string?>? extra = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["STRIPE_SECRET_KEY"] = "",
            ["STRIPE_MCP_CONFIG"] = "",
            ["STRIPE_API_BASE"] = "",
            ["STRIPE_MCP_POSTGRES"] = "",
            // Each server its own state directory: no test counts against another's totals, or the user's.
            ["XDG_STATE_HOME"] = Path.Combine(Path.GetTempPath(), $"stripe-mcp-state-{Guid.NewGuid():N}"),
        };
        foreach (var (k, v) in extra ?? []) env[k] = v;
        return env;
    }

    /// <summary>The human at the client: answers every confirmation with this action ("accept", "decline", "cancel"); null = a client that cannot ask.</summary>
    /// <param name="protocol">The protocol the client asks for (2025-11-25 for a session on a stateful server); null: the SDK's newest.</param>
    public static McpClientOptions Human(string? action = "accept", string? protocol = null) => new()
    {
        ProtocolVersion = protocol,
        Handlers = action is null ? new McpClientHandlers() : new McpClientHandlers
        {
            ElicitationHandler = (_, _) => ValueTask.FromResult(new ElicitResult { Action = action }),
        },
    };

    /// <summary>The server in this process, from this command line and environment.</summary>
    public static async Task<TestServer> StartAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, McpClientOptions? client = null)
    {
        var server = new InProcessServer(args, env);
        try
        {
            var mcp = await TestClient.ConnectAsync(new StreamClientTransport(server.Stdin, server.Stdout), client ?? Human());
            return new TestServer(mcp, server.Stderr, server);
        }
        catch (Exception e)
        {
            var exit = !server.Exit.IsCompleted ? "did not answer" : server.Exit.IsCompletedSuccessfully ? $"exited {server.Exit.Result}" : $"crashed: {server.Exit.Exception?.InnerException}";
            try { await server.DisposeAsync(); } catch { /* the error below says what happened */ }
            throw new InvalidOperationException($"the server {exit}:\n{string.Join("\n", server.Stderr)}", e);
        }
    }

    /// <summary>The executable (or the build STRIPE_MCP_TEST_SERVER names), started as a process: for the whole-process suite.</summary>
    public static async Task<TestServer> SpawnAsync(IEnumerable<string> args, Dictionary<string, string?>? env = null, McpClientOptions? client = null)
    {
        var stderr = new ConcurrentQueue<string>();
        var (command, arguments) = Launch(args);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "stripe-mcp",
            Command = command,
            Arguments = arguments,
            EnvironmentVariables = CleanEnvironment(env),
            StandardErrorLines = stderr.Enqueue,
        });
        var mcp = await TestClient.ConnectAsync(transport, client ?? Human());
        return new TestServer(mcp, stderr, null);
    }

    /// <summary>Starts the server against <paramref name="stripe"/> with a test key and the given extra arguments.</summary>
    public static Task<TestServer> StartAsync(FakeStripe stripe, params string[] args) =>
        StartAsync(["--api-key", TestKey, "--stripe-api-base", stripe.BaseUrl, .. args]);

    public async Task<CallToolResult> CallAsync(string tool, string argsJson = "{}")
    {
        var args = JsonSerializer.Deserialize<Dictionary<string, object?>>(argsJson)!;
        return await Client.CallToolAsync(tool, args);
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        if (_inProcess is not null) await _inProcess.DisposeAsync();
    }
}
