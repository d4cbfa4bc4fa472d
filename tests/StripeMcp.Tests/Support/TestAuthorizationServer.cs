using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Authentication;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Microsoft.AspNetCore;
using StripeMcp.Tools;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace StripeMcp.Tests.Support;

/// <summary>
/// A real OAuth 2.1 authorization server on 127.0.0.1 (OpenIddict, stores in EF Core's in-memory database): discovery,
/// JWKS, authorization code with PKCE, client credentials, resource indicators (RFC 8707), introspection (RFC 7662), and
/// either JWT or opaque (reference) access tokens. Its users sign in at the authorization endpoint with a Basic header
/// (the test's stand-in for a browser's login form), and are granted the requested scopes they may hold.
/// </summary>
public sealed class TestAuthorizationServer : IAsyncDisposable
{
    /// <summary>The interactive client (public, PKCE) an MCP client uses.</summary>
    public const string AppClient = "mcp-desktop";
    public const string AppRedirect = "http://127.0.0.1:1/callback";
    /// <summary>A machine agent: client credentials.</summary>
    public const string MachineClient = "billing-bot";
    public const string MachineSecret = "billing-bot-secret-7f3a";
    /// <summary>
    /// The resource server's own client, for introspection: OpenIddict tells a token's state only to a client the token
    /// names as its audience, so this client's id is the (first) resource URI.
    /// </summary>
    public const string IntrospectionSecret = "stripe-mcp-introspect-91c2";

    private readonly WebApplication _app;
    public string Issuer { get; }
    /// <summary>Requests to each path, so a test can see what reached the server (the introspection endpoint).</summary>
    public readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> Requests = new();

    private TestAuthorizationServer(WebApplication app, string issuer) => (_app, Issuer) = (app, issuer);

    /// <summary>Users, their passwords and the stripe scopes each may be granted.</summary>
    private static readonly Dictionary<string, (string Password, string[] Scopes)> Users = new()
    {
        ["alice"] = ("alice-password", AllScopes()),
        ["bob"] = ("bob-password", ["stripe:read"]),
    };

    private static string[] AllScopes() =>
        [.. OAuthScopes(), .. Api.ApiPermissions.All.Select(p => "stripe:" + p), "openid", "profile", "mcp", "support", "finance", "auditor"];

    private static IEnumerable<string> OAuthScopes() => StripeMcp.Http.OAuthResourceServer.ScopesSupported();

    /// <param name="resources">The resource URIs tokens may be asked for (RFC 8707).</param>
    /// <param name="reference">Opaque access tokens (checked by introspection) instead of JWTs.</param>
    public static async Task<TestAuthorizationServer> StartAsync(IEnumerable<string> resources, bool reference = false)
    {
        var resourceList = resources.ToArray();
        var builder = LoopbackApp.Builder();
        var db = "as-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<DbContext>(o => { o.UseInMemoryDatabase(db); o.UseOpenIddict(); });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<DbContext>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token").SetIntrospectionEndpointUris("connect/introspect");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange().AllowClientCredentialsFlow();
                o.RegisterScopes(AllScopes());
                o.RegisterResources(resourceList);
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                if (reference) o.UseReferenceAccessTokens();
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableTokenEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        var app = builder.Build();
        TestAuthorizationServer? self = null;
        app.Use(async (ctx, next) => { self?.Requests.AddOrUpdate(ctx.Request.Path.Value ?? "", 1, (_, n) => n + 1); await next(); });
        app.UseAuthentication(); // after the count: OpenIddict answers its endpoints (introspection) from here
        app.MapMethods("/connect/authorize", ["GET", "POST"], async (HttpContext ctx) =>
        {
            var request = ctx.GetOpenIddictServerRequest()!;
            if (!AuthenticationHeaderValue.TryParse(ctx.Request.Headers.Authorization, out var basic) || basic.Scheme != "Basic") return Results.Challenge();
            var (user, password) = Decode(basic.Parameter);
            if (!Users.TryGetValue(user, out var u) || u.Password != password) return Results.Unauthorized();
            return SignIn(user, request.GetScopes().Intersect(u.Scopes), request.GetResources());
        });
        app.MapPost("/connect/token", async (HttpContext ctx) =>
        {
            var request = ctx.GetOpenIddictServerRequest()!;
            if (request.IsClientCredentialsGrantType()) return SignIn(request.ClientId!, request.GetScopes(), request.GetResources());
            var code = await ctx.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            return Results.SignIn(code.Principal!, null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        var url = await LoopbackApp.StartAsync(app);
        self = new TestAuthorizationServer(app, url + "/");
        await self.RegisterClientsAsync(resourceList);
        return self;
    }

    private static IResult SignIn(string subject, IEnumerable<string> scopes, IEnumerable<string> resources)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject).SetClaim(Claims.Name, subject);
        identity.SetScopes(scopes);
        identity.SetResources(resources); // the token's audience (RFC 8707)
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static (string, string) Decode(string? parameter)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = text.IndexOf(':');
            return colon < 0 ? ("", "") : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException) { return ("", ""); }
    }

    private async Task RegisterClientsAsync(string[] resources)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var app = new OpenIddictApplicationDescriptor { ClientId = AppClient, ClientType = ClientTypes.Public, RedirectUris = { new Uri(AppRedirect) } };
        app.Permissions.UnionWith([Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode, Permissions.ResponseTypes.Code]);
        app.AddScopePermissions(AllScopes()).AddResourcePermissions(resources);
        app.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        await manager.CreateAsync(app);
        var machine = new OpenIddictApplicationDescriptor { ClientId = MachineClient, ClientSecret = MachineSecret, ClientType = ClientTypes.Confidential };
        machine.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.GrantTypes.ClientCredentials]);
        machine.AddScopePermissions(["stripe:read", "stripe:toolset:customers", "stripe:customers.read", "stripe:customers.create", "mcp", "support", "finance", "auditor", "stripe:all"]).AddResourcePermissions(resources);
        await manager.CreateAsync(machine);
        var introspector = new OpenIddictApplicationDescriptor { ClientId = resources[0], ClientSecret = IntrospectionSecret, ClientType = ClientTypes.Confidential };
        introspector.Permissions.Add(Permissions.Endpoints.Introspection);
        await manager.CreateAsync(introspector);
    }

    /// <summary>
    /// The user's browser at the authorization endpoint: signs in as <paramref name="user"/> and returns what the
    /// redirect carried (code, state, iss), as a client's redirect listener would.
    /// </summary>
    public static async Task<AuthorizationResult?> BrowserAsync(Uri authorizationUri, string user, string password)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var request = new HttpRequestMessage(HttpMethod.Get, authorizationUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
            throw new InvalidOperationException($"the authorization endpoint answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var query = System.Web.HttpUtility.ParseQueryString(response.Headers.Location!.Query);
        if (query["error"] is { } error) throw new InvalidOperationException($"authorization refused: {error} {query["error_description"]}");
        return new AuthorizationResult { Code = query["code"], State = query["state"], Iss = query["iss"] };
    }

    /// <summary>A machine agent's token: client credentials at the token endpoint (the MCP SDK's client has no such grant).</summary>
    public async Task<string> ClientCredentialsAsync(string scope, string resource, string client = MachineClient, string secret = MachineSecret)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Post, Issuer + "connect/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["scope"] = scope, ["resource"] = resource }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{client}:{secret}")));
        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.TryGetProperty("access_token", out var token) ? token.GetString()! : throw new InvalidOperationException("no token: " + body);
    }

    /// <summary>
    /// A free port and this server's resource URI on it: the resource URI is the server's own /mcp, whose port must be
    /// known before the server listens (it is in the server's config and the authorization server's registrations).
    /// </summary>
    public static (int Port, string Resource) PickResource()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return (port, $"http://127.0.0.1:{port}/mcp");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
