using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;
using StripeMcp.Mcp;

namespace StripeMcp.Resources;

/// <summary>
/// Puts a policy's resources (<see cref="StripeResources"/>) on an MCP server, with subscriptions to
/// <see cref="EventFeed.RecentUri"/> both ways the protocol has had them: resources/subscribe on a session
/// (stdio, stateful HTTP: the update goes out on the session), and subscriptions/listen (MCP 2026-07-28: the update
/// goes out on the listen request's own stream, so it works over stateless HTTP too). Nothing else can be subscribed
/// to: an object's resource changes only through events, which this feed reports.
/// </summary>
internal static class PublishedResources
{
    /// <param name="overHttp">Over HTTP a notification can reach a client outside a request only in its session
    /// (stateful mode, initialize clients); stdio is one session.</param>
    public static void Install(McpServerOptions options, StripeResources resources, EventFeed feed, bool overHttp)
    {
        options.Capabilities = Capabilities.Copy(options.Capabilities);
        options.Capabilities.Resources = new ResourcesCapability { Subscribe = resources.HasRecent ? true : null };
        var h = options.Handlers;
        h.ListResourcesHandler = (_, _) => ValueTask.FromResult(new ListResourcesResult { Resources = resources.List() });
        h.ListResourceTemplatesHandler = (_, _) => ValueTask.FromResult(new ListResourceTemplatesResult { ResourceTemplates = resources.Templates() });
        h.ReadResourceHandler = (request, ct) => resources.ReadAsync(request, ct);
        if (!resources.HasRecent) return;

        h.SubscribeToResourcesHandler = (request, _) =>
        {
            Check(request.Params?.Uri);
            if (overHttp && request.Server.SessionId is null)
                throw new McpProtocolException("resources/subscribe: this server serves stateless HTTP, which cannot send a notification outside a request. " +
                    "Subscribe with subscriptions/listen (MCP 2026-07-28 or later), or run the server with --stateful.", McpErrorCode.InvalidRequest);
            var server = request.Server;
            if (feed.Listen(Key(server), ct => server.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification,
                    new ResourceUpdatedNotificationParams { Uri = EventFeed.RecentUri }, cancellationToken: ct), resources.Caller) is null)
                throw Full();
            return ValueTask.FromResult(new EmptyResult());
        };
        h.UnsubscribeFromResourcesHandler = (request, _) =>
        {
            Check(request.Params?.Uri);
            feed.Stop(Key(request.Server));
            return ValueTask.FromResult(new EmptyResult());
        };
        h.SubscriptionsListenHandler = async (request, ct) =>
        {
            var asked = request.Params?.Notifications?.ResourceSubscriptions ?? [];
            var granted = asked.Where(u => u == EventFeed.RecentUri).Distinct().ToList();
            var id = request.JsonRpcRequest.Id.Id switch { string s => JsonValue.Create(s), long n => (JsonNode?)JsonValue.Create(n), _ => null };
            JsonObject Tagged(JsonObject p) { p["_meta"] = new JsonObject { [MetaKeys.SubscriptionId] = id?.DeepClone() }; return p; }
            var server = request.Server;
            await server.SendNotificationAsync(NotificationMethods.SubscriptionsAcknowledgedNotification, Tagged(new JsonObject
            {
                ["notifications"] = granted.Count == 0 ? new JsonObject() : new JsonObject { ["resourceSubscriptions"] = new JsonArray([.. granted.Select(u => (JsonNode)u)]) },
            }), cancellationToken: ct);
            if (granted.Count == 0) return new EmptyResult();
            // Until the client cancels or goes away, a notification cannot reach it, or ListenLifetime passes (the
            // request then ends and the client listens again).
            using var open = CancellationTokenSource.CreateLinkedTokenSource(ct);
            open.CancelAfter(ListenLifetime);
            using (feed.Listen(new object(), async t =>
                   {
                       try
                       {
                           await server.SendNotificationAsync(NotificationMethods.ResourceUpdatedNotification, Tagged(new JsonObject { ["uri"] = EventFeed.RecentUri }), cancellationToken: t);
                       }
                       catch
                       {
                           await open.CancelAsync(); // dropped: end the request, so the client knows it no longer hears
                           throw;
                       }
                   }, resources.Caller) ?? throw Full())
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, open.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
            return new EmptyResult();
        };
    }

    /// <summary>How long one subscriptions/listen request is held open at most.</summary>
    public static readonly TimeSpan ListenLifetime = TimeSpan.FromHours(1);

    private static McpProtocolException Full() =>
        new($"This server has {EventFeed.MaxListeners} subscriptions to {EventFeed.RecentUri} open already, or this caller {EventFeed.MaxPerCaller}; end one, or read the resource instead.", McpErrorCode.InvalidRequest);

    private static void Check(string? uri)
    {
        if (uri != EventFeed.RecentUri)
            throw new McpProtocolException($"Only {EventFeed.RecentUri} can be subscribed to (not '{uri}'): an object's resource changes only through events, which it reports.", McpErrorCode.InvalidParams);
    }

    /// <summary>One subscription per session: stdio has one session, a stateful HTTP session has its id.</summary>
    private static string Key(McpServer server) => "session:" + (server.SessionId ?? "stdio");
}
