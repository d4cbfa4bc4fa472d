using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>A Stripe stand-in for the money attacks: answers lookups of a few fixed objects, records every write (none should come).</summary>
public sealed class MoneyStandIn : IAsyncDisposable
{
    private readonly WebApplication _app;

    public string BaseUrl { get; }
    public ConcurrentQueue<string> Writes { get; } = new();

    private MoneyStandIn(WebApplication app, string url) => (_app, BaseUrl) = (app, url);

    private static readonly JsonObject Price = JsonNode.Parse("""{"id":"price_small","object":"price","unit_amount":100,"currency":"usd","currency_options":{"usd":{"unit_amount":100}}}""")!.AsObject();

    private static readonly Dictionary<string, string> Objects = new()
    {
        ["/v1/prices/price_small"] = Price.ToJsonString(),
        ["/v1/account"] = """{"id":"acct_1Platform","object":"account"}""",
        ["/v1/prices/price_big"] = """{"id":"price_big","object":"price","unit_amount":900000,"currency":"usd"}""",
        ["/v1/charges/ch_base"] = """{"id":"ch_base","object":"charge","amount_captured":100000,"amount_refunded":0,"currency":"usd"}""",
        ["/v1/payment_intents/pi_small"] = """{"id":"pi_small","object":"payment_intent","amount":100,"amount_capturable":100,"currency":"usd","latest_charge":"ch_base"}""",
        ["/v1/payment_intents/pi_big"] = """{"id":"pi_big","object":"payment_intent","amount":900000,"amount_capturable":900000,"currency":"usd","latest_charge":"ch_base"}""",
        ["/v1/invoices/in_big"] = """{"id":"in_big","object":"invoice","amount_due":900000,"amount_remaining":900000,"currency":"usd"}""",
        ["/v1/invoices/in_small"] = """{"id":"in_small","object":"invoice","amount_due":100,"amount_remaining":100,"currency":"usd"}""",
        ["/v1/subscriptions/sub_small"] = """{"id":"sub_small","object":"subscription","currency":"usd","items":{"object":"list","has_more":false,"data":[{"id":"si_small","object":"subscription_item","quantity":1,"price":""" + Price.ToJsonString() + """}]}}""",
    };

    /// <param name="more">Objects to answer lookups with besides the fixed ones, by path (/v1/prices/price_x).</param>
    public static async Task<MoneyStandIn> StartAsync(Dictionary<string, string>? more = null)
    {
        var objects = new Dictionary<string, string>(Objects);
        foreach (var (path, json) in more ?? []) objects[path] = json;
        var app = LoopbackApp.Builder().Build();
        MoneyStandIn? self = null;
        app.Run(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            ctx.Response.Headers["Request-Id"] = "req_standin";
            if (ctx.Request.Method == "GET" && objects.TryGetValue(ctx.Request.Path.Value ?? "", out var body))
            {
                await ctx.Response.WriteAsync(body);
                return;
            }
            if (ctx.Request.Method != "GET") self!.Writes.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} {await new StreamReader(ctx.Request.Body).ReadToEndAsync()}");
            if (ctx.Request.Method == "POST" && ctx.Request.Path == "/v1/refunds")
            {
                // Applied anew every time, never replayed: an upstream that forgot the key, or a misbehaving proxy.
                await ctx.Response.WriteAsync($$"""{"id":"re_{{Guid.NewGuid():N}}","object":"refund","amount":1,"currency":"usd"}""");
                return;
            }
            ctx.Response.StatusCode = ctx.Request.Method == "GET" ? 404 : 200;
            await ctx.Response.WriteAsync(ctx.Request.Method == "GET"
                ? """{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such object"}}"""
                : """{"id":"obj_written","object":"unknown"}""");
        });
        var url = await LoopbackApp.StartAsync(app);
        return self = new MoneyStandIn(app, url);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
