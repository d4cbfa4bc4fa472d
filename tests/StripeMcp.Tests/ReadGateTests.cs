using ModelContextProtocol.Client;
using StripeMcp.Api;
using StripeMcp.Configuration;
using StripeMcp.Hosting;
using StripeMcp.Tests.Support;

namespace StripeMcp.Tests;

/// <summary>
/// Reads are gated by what they return: an expand path that would embed another resource's objects needs that
/// resource's read, under every kind of narrowing (the server's policy, a static token, an OAuth scope); an account
/// operation is bounded by context.accounts and a token's pinned account like every other call. Nothing refused is sent.
/// </summary>
public sealed class ReadGateTests
{
    private const string Reader = "invoice-reader-0123456789", Admin = "admin-0123456789", Pinned = "pinned-0123456789", Denier = "denier-0123456789";

    [Theory]
    [InlineData(typeof(global::Stripe.Invoice), "customer", "customers")]
    [InlineData(typeof(global::Stripe.StripeList<global::Stripe.Invoice>), "data.customer", "customers")]
    [InlineData(typeof(global::Stripe.PaymentIntent), "latest_charge.balance_transaction", "charges,balance")]
    [InlineData(typeof(global::Stripe.Charge), "payment_intent", "paymentIntents")]
    [InlineData(typeof(global::Stripe.Invoice), "lines", "")]
    public void An_expand_path_names_the_resources_of_the_objects_it_embeds(Type from, string path, string resources)
    {
        var (found, problem) = ApiExpand.Resources(from, path);
        Assert.Null(problem);
        Assert.Equal(resources, string.Join(',', found));
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("data.customer")]
    [InlineData("customer.a.b.c.d")]
    public void A_path_the_models_do_not_know_is_refused(string path) =>
        Assert.NotNull(ApiExpand.Resources(typeof(global::Stripe.Invoice), path).Problem);

    /// <summary>Every read of customers, typed and generic, by name: what a token denies to keep customers from itself.</summary>
    private static string CustomerReads => string.Join(", ", ToolCatalog.All.Where(t => t.Resource == "customers" && t.ReadOnly).Select(t => t.Name)
        .Concat(ApiCatalog.All.Where(o => o.Resource == "customers" && o.ReadOnly).Select(o => o.Id)).Select(n => $"\"{n}\""));

    private static async Task<(Microsoft.AspNetCore.Builder.WebApplication App, FakeStripe Stripe)> Serve(string config, string? tools = null, int port = 0)
    {
        var stripe = await FakeStripe.StartAsync();
        var loaded = OptionsLoader.Load(new CommandLineInputs { Config = TestFiles.Config(config), Http = true, Port = port, Host = "127.0.0.1", ApiKey = TestServer.TestKey, StripeApiBase = stripe.BaseUrl, Tools = tools }, _ => null);
        Assert.True(loaded.Ok, string.Join("\n", loaded.Problems));
        var app = StripeMcp.Http.HttpServer.Build(loaded.Options, Logging.Create(Serilog.Events.LogEventLevel.Fatal, Console.Error));
        await app.StartAsync();
        return (app, stripe);
    }

    private static Task<McpClient> Connect(string url, string? token) => TestClient.ConnectAsync(new HttpClientTransport(new HttpClientTransportOptions
    {
        Endpoint = new Uri(url),
        TransportMode = HttpTransportMode.StreamableHttp,
        AdditionalHeaders = token is null ? null : new Dictionary<string, string> { ["Authorization"] = "Bearer " + token },
    }));

    private static Dictionary<string, object?> Read(string operation, object arguments) => new() { ["operation"] = operation, ["arguments"] = arguments };

    private static async Task RefusedUnsent(McpClient client, FakeStripe stripe, string operation, object arguments, string names)
    {
        var before = stripe.Requests.Count;
        var result = await client.CallToolAsync(GenericTool.Read, Read(operation, arguments));
        Assert.True(result.IsError, result.Text());
        Assert.Contains("expand_not_allowed", result.Text());
        Assert.Contains(names, result.Text());
        Assert.Equal(before, stripe.Requests.Count);
    }

    [Fact]
    public async Task The_servers_policy_bounds_what_an_expand_embeds()
    {
        var (app, stripe) = await Serve("{}", tools: "invoices.read");
        await using (app) await using (stripe)
        {
            await using var client = await Connect(app.Urls.First() + "/mcp", null);
            await RefusedUnsent(client, stripe, "GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "customer" } }, "customers.read");
            await RefusedUnsent(client, stripe, "GetInvoices", new { expand = new[] { "data.customer" } }, "customers.read");
            stripe.Enqueue(new Scripted(200, """{"id":"in_1","object":"invoice"}"""));
            var lines = await client.CallToolAsync(GenericTool.Read, Read("GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "lines" } }));
            Assert.False(lines.IsError ?? false, lines.Text());
        }
    }

    [Fact]
    public async Task A_static_tokens_narrowing_bounds_what_an_expand_embeds_and_a_pinned_token_reaches_no_other_account()
    {
        var config = $$"""
            { "toolsets": ["all"], "context": { "accounts": ["acct_1Pinned", "acct_1Other"] },
              "http": { "tokens": [
                { "name": "reader", "sha256": "{{HttpFixture.Hash(Reader)}}", "actions": { "invoices": { "read": true } } },
                { "name": "admin", "sha256": "{{HttpFixture.Hash(Admin)}}" },
                { "name": "denier", "sha256": "{{HttpFixture.Hash(Denier)}}", "actions": { "invoices": { "read": true }, "customers": { "read": true } },
                  "deny": [{{CustomerReads}}] },
                { "name": "pinned", "sha256": "{{HttpFixture.Hash(Pinned)}}", "toolsets": ["connect"], "account": "acct_1Pinned" } ] } }
            """;
        var (app, stripe) = await Serve(config);
        await using (app) await using (stripe)
        {
            var url = app.Urls.First() + "/mcp";
            await using (var reader = await Connect(url, Reader))
                await RefusedUnsent(reader, stripe, "GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "customer" } }, "customers.read");
            await using (var denier = await Connect(url, Denier)) // customers.read allowed, every read of customers denied by name
                await RefusedUnsent(denier, stripe, "GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "customer" } }, "every read of it is denied");
            await using (var admin = await Connect(url, Admin))
            {
                stripe.Enqueue(new Scripted(200, """{"id":"in_1","object":"invoice","customer":{"id":"cus_1","object":"customer"}}"""));
                var whole = await admin.CallToolAsync(GenericTool.Read, Read("GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "customer" } }));
                Assert.False(whole.IsError ?? false, whole.Text());
            }
            await using var pinned = await Connect(url, Pinned);
            var before = stripe.Requests.Count;
            var other = await pinned.CallToolAsync("retrieve_connected_account", new Dictionary<string, object?> { ["account"] = "acct_1Other" });
            Assert.True(other.IsError, other.Text());
            Assert.Contains("account_not_allowed", other.Text());
            var transfer = await pinned.CallToolAsync("create_transfer", new Dictionary<string, object?> { ["amount"] = 100, ["currency"] = "usd", ["destination"] = "acct_1Other" });
            Assert.Contains("account_not_allowed", transfer.Text()); // money to an account outside the pin: refused too
            var generic = await pinned.CallToolAsync(GenericTool.Read, Read("GetAccountsAccount", new { account = "acct_1Other" }));
            Assert.True(generic.IsError, generic.Text());
            Assert.Equal(before, stripe.Requests.Count);
            stripe.Enqueue(new Scripted(200, """{"id":"acct_1Pinned","object":"account"}"""));
            var own = await pinned.CallToolAsync("retrieve_connected_account", new Dictionary<string, object?> { ["account"] = "acct_1Pinned" });
            Assert.False(own.IsError ?? false, own.Text());
        }
    }

    [Fact]
    public async Task An_OAuth_scope_bounds_what_an_expand_embeds()
    {
        await using var issuer = await TestIssuer.StartAsync();
        var (port, resource) = TestAuthorizationServer.PickResource();
        var (app, stripe) = await Serve($$"""{ "toolsets": ["all"], "http": { "oauth": { "issuer": "{{issuer.Url}}", "resource": "{{resource}}" } } }""", port: port);
        await using (app) await using (stripe)
        {
            await using var client = await Connect(resource, issuer.Token(resource, "stripe:invoices.read"));
            var before = stripe.Requests.Count;
            var result = await client.CallToolAsync(GenericTool.Read, Read("GetInvoicesInvoice", new { invoice = "in_1", expand = new[] { "customer" } }));
            Assert.True(result.IsError, result.Text());
            Assert.Contains("customers.read", result.Text());
            Assert.Equal(before, stripe.Requests.Count);
        }
    }
}
