using System.Net;
using System.Text;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>A body the server will not read — unauthenticated, or over the limit — is answered with its status and reason before the connection closes.</summary>
public sealed class BodyRefusalTests
{
    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("body-token-0123456789", HttpStatusCode.RequestEntityTooLarge)]
    public async Task A_ten_megabyte_chunked_body_gets_its_status_and_reason(string? token, HttpStatusCode expected)
    {
        var config = TestFiles.Config($$"""{ "toolsets": ["all"], "http": { "tokens": [ { "name": "t", "sha256": "{{HttpFixture.Hash("body-token-0123456789")}}" } ] } }""");
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = config, Http = true, Port = 0, Host = "127.0.0.1", ApiKey = "sk_test_bodies", Sandbox = true }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        await using var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        using var http = new HttpClient();
        var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"x\":\"" + new string('x', 10 << 20) + "\"}}")));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, app.Urls.First() + "/mcp") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        request.Headers.Accept.ParseAdd("application/json, text/event-stream");
        if (token is not null) request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync());
    }
}
