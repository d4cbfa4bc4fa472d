using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StripeMcp.Tests.Support;

/// <summary>One request as it reached the stand-in.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string Body, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    /// <summary>The form body (POST) or the query (GET, DELETE), decoded, with Stripe's bracket keys as written.</summary>
    public string Params => Uri.UnescapeDataString((Method == "POST" ? Body : Query.TrimStart('?')).Replace('+', ' '));
}

/// <summary>A scripted answer: status, JSON body and extra headers.</summary>
public sealed record Scripted(int Status, string Json, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A Stripe stand-in on 127.0.0.1 for end-to-end tests: it records every request and answers
/// from a script (in order), or with a generic Stripe-shaped object when the script is empty.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Scripted> _script = new();
    private int _counter;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();
    public string BaseUrl { get; }

    private FakeStripe(WebApplication app, string baseUrl) => (_app, BaseUrl) = (app, baseUrl);

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeStripe? self = null;
        app.Run(ctx => self!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Requests.Enqueue(new RecordedRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "", body, headers));

        var answer = _script.TryDequeue(out var scripted) ? scripted
            : new Scripted(200, $$"""{"id":"obj_{{Interlocked.Increment(ref _counter)}}","object":"unknown","livemode":false}""");
        ctx.Response.StatusCode = answer.Status;
        ctx.Response.ContentType = "application/json";
        ctx.Response.Headers["Request-Id"] = $"req_{Interlocked.Increment(ref _counter)}";
        foreach (var (k, v) in answer.Headers ?? new Dictionary<string, string>()) ctx.Response.Headers[k] = v;
        await ctx.Response.WriteAsync(answer.Json);
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

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
