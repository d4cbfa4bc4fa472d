using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace StripeMcp.Tests.Support;

/// <summary>A webhook handler on 127.0.0.1 for tests: records every POST and answers with the next scripted status (200 when the script is done).</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public sealed record Received(string Body, string? Signature, string? ContentType, int Answered);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<int> _script;
    public ConcurrentQueue<Received> Requests { get; } = new();
    public string Url { get; private set; } = "";

    private WebhookReceiver(WebApplication app, IEnumerable<int> script) => (_app, _script) = (app, new ConcurrentQueue<int>(script));

    public static async Task<WebhookReceiver> StartAsync(params int[] script)
    {
        var builder = LoopbackApp.Builder();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app, script);
        app.MapPost("/hook", async ctx =>
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = receiver._script.TryDequeue(out var s) ? s : 200;
            receiver.Requests.Enqueue(new Received(body, ctx.Request.Headers["Stripe-Signature"].FirstOrDefault(), ctx.Request.ContentType, status));
            ctx.Response.StatusCode = status;
        });
        receiver.Url = await LoopbackApp.StartAsync(app) + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
