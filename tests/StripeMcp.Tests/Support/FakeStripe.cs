using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A Stripe stand-in on 127.0.0.1 for end-to-end tests: it records every request and answers
/// from a script (in order), or with a generic Stripe-shaped object when the script is empty.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Scripted> _script = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _counter;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public string BaseUrl { get; }

    private FakeStripe(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = LoopbackApp.Builder();
        var app = builder.Build();
        FakeStripe? self = null;
        app.Run(ctx => self!.HandleAsync(ctx));
        var address = await LoopbackApp.StartAsync(app);
        self = new FakeStripe(app, address);
        return self;
    }

    /// <summary>Queue answers for the next requests, in order.</summary>
    public void Enqueue(params Scripted[] answers)
    {
        foreach (var a in answers) _script.Enqueue(a);
    }

    public void Reset()
    {
        Requests.Clear();
        _script.Clear();
    }

    /// <summary>How many scripted answers are still waiting for a request.</summary>
    public int Pending => _script.Count;

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "", body, headers));

        var answer = _script.TryDequeue(out var scripted) ? scripted
            : Default(ctx.Request.Method, ctx.Request.Path.Value ?? "");

        if (answer.Delay > TimeSpan.Zero)
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, _stopping.Token);
            try { await Task.Delay(answer.Delay, either.Token); }
            catch (OperationCanceledException) { return; }
        }
        if (answer.Abort)
        {
            ctx.Abort();
            return;
        }

        ctx.Response.StatusCode = answer.Status;
        if (answer.ContentType is { } type) ctx.Response.ContentType = type;
        ctx.Response.Headers["Request-Id"] = $"req_{Interlocked.Increment(ref _counter)}";
        foreach (var (k, v) in answer.Headers ?? new Dictionary<string, string>()) ctx.Response.Headers[k] = v;
        var bytes = answer.Body ?? Encoding.UTF8.GetBytes(answer.Json);
        if (bytes.Length == 0) return;
        try { await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted); }
        catch (OperationCanceledException) { }
        catch (IOException) { }
    }

    /// <summary>
    /// Unscripted, it answers like Stripe would in shape: an empty list for a list or search row's path,
    /// else an object of the type the matching row expects (<see cref="Tools.ToolDefinition.Returns"/>).
    /// </summary>
    private Scripted Default(string method, string path)
    {
        var row = ToolCatalog.All.FirstOrDefault(t => t.Method.Method == method && StripeMcp.Stripe.StripeGateway.PathProblem(t.Path, path) is null);
        var type = row?.Returns ?? "unknown";
        return type is "list" or "search_result"
            ? new Scripted(200, $$"""{"object":"{{type}}","data":[],"has_more":false,"url":"{{path}}"}""")
            : new Scripted(200, $$"""{"id":"obj_{{Interlocked.Increment(ref _counter)}}","object":"{{type}}","livemode":false}""");
    }

    /// <summary>A loopback URL where nothing listens: "Stripe unreachable".</summary>
    public static string DeadUrl()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return $"http://127.0.0.1:{port}";
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _app.DisposeAsync();
        _stopping.Dispose();
    }
}
