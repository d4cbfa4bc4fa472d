using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StripeMcp.Tests.Support;

/// <summary>One request as it reached the stand-in.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The form body (POST) or the query (GET, DELETE), decoded, with Stripe's bracket keys as written.</summary>
    public string Params => Uri.UnescapeDataString((Method == "POST" ? Body : Query.TrimStart('?')).Replace('+', ' '));
}

/// <summary>
/// A scripted answer: status, JSON body and extra headers. The init-only properties make it hostile:
/// any content type (or none), raw bytes, a delay before answering, or no answer at all (connection reset).
/// </summary>
public sealed record Scripted(int Status, string Json, IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>The Content-Type header sent; null sends none. Default "application/json".</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>The body as these exact bytes (invalid UTF-8, 30 MB …) instead of <see cref="Json"/>.</summary>
    public byte[]? Body { get; init; }

    /// <summary>Wait this long before answering (ends early when the caller goes away or the stand-in stops).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Reset the connection (HttpContext.Abort) instead of answering; the request is still recorded.</summary>
    public bool Abort { get; init; }

    /// <summary>Any body with any content type (null: no Content-Type header).</summary>
    public static Scripted Raw(int status, string body, string? contentType) => new(status, body) { ContentType = contentType };

    /// <summary>A body of exactly these bytes.</summary>
    public static Scripted Bytes(int status, byte[] body, string? contentType = "application/json") => new(status, "") { Body = body, ContentType = contentType };

    /// <summary>A redirect (301, 302, 303, 307, 308) to <paramref name="location"/>, with an empty body and no content type.</summary>
    public static Scripted Redirect(int status, string location) =>
        new(status, "", new Dictionary<string, string> { ["Location"] = location }) { ContentType = null };

    /// <summary>The connection is reset after the request is read: no HTTP answer at all.</summary>
    public static Scripted ConnectionReset() => new(0, "") { Abort = true };

    /// <summary>Answer <paramref name="then"/> (default: a generic object) only after <paramref name="delay"/>.</summary>
    public static Scripted Stall(TimeSpan delay, Scripted? then = null) =>
        (then ?? new Scripted(200, """{"id":"obj_stalled","object":"unknown","livemode":false}""")) with { Delay = delay };

    /// <summary>A JSON object at least <paramref name="bytes"/> long: {"id":…,"object":…,"description":"aaaa…"}.</summary>
    public static Scripted Huge(int bytes, string id = "cus_huge", string objectType = "customer")
    {
        var head = Encoding.UTF8.GetBytes("{\"id\":\"" + id + "\",\"object\":\"" + objectType + "\",\"description\":\"");
        var tail = "\"}"u8.ToArray();
        var body = new byte[Math.Max(bytes, head.Length + tail.Length)];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, body.Length - head.Length - tail.Length).Fill((byte)'a');
        tail.CopyTo(body, body.Length - tail.Length);
        return Bytes(200, body);
    }

    /// <summary>{"a":{"a":…{}…}} nested <paramref name="depth"/> objects deep.</summary>
    public static string Nested(int depth) => string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);
}

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
