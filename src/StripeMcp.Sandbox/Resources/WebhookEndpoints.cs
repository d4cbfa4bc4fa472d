using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox.Resources;

/// <summary>Webhook endpoints: where the sandbox sends events, signed with each endpoint's secret.</summary>
internal static class WebhookEndpoints
{
    public static void Register(Router r)
    {
        r.Post("/v1/webhook_endpoints", Create)
         .Get("/v1/webhook_endpoints/{id}", c => c.Get("webhook_endpoint", c.Id))
         .Post("/v1/webhook_endpoints/{id}", c =>
         {
             var p = c.P;
             p.Allow("url", "enabled_events", "disabled", "description", "metadata");
             var endpoint = c.Get("webhook_endpoint", c.Id);
             if (p.Has("url")) endpoint["url"] = Url(p);
             if (p.Has("enabled_events")) endpoint["enabled_events"] = Events(p);
             if (p.Bool("disabled") is { } disabled) endpoint["status"] = disabled ? "disabled" : "enabled";
             if (p.Has("description")) endpoint["description"] = p.IsEmpty("description") ? null : p.Str("description");
             if (p.Metadata() is { } md) Core.Merge(endpoint, md);
             return endpoint;
         })
         .Delete("/v1/webhook_endpoints/{id}", c =>
         {
             c.Get("webhook_endpoint", c.Id);
             c.State.Remove(c.Account, "webhook_endpoint", c.Id);
             c.State.WebhookSecrets.Remove(c.Id);
             return new JsonObject { ["id"] = c.Id, ["object"] = "webhook_endpoint", ["deleted"] = true };
         })
         .Get("/v1/webhook_endpoints", c =>
         {
             c.P.Allow(Lists.PagingParams);
             return Lists.Page(c, c.All("webhook_endpoint"));
         });
    }

    private static JsonObject Create(Call c)
    {
        var p = c.P;
        p.Allow("url", "enabled_events", "description", "metadata", "api_version", "connect");
        var id = c.State.NewId("we");
        var secret = "whsec_" + c.State.NewId("x", 32)[2..];
        c.State.WebhookSecrets[id] = secret;
        if (p.Str("api_version") is { } v && v != Sandbox.ApiVersion && v != Sandbox.ApiVersion.Split('.')[0])
            throw StripeError.Invalid($"The sandbox speaks API version {Sandbox.ApiVersion} only; {v} cannot be sent.", "api_version");
        var endpoint = new JsonObject
        {
            ["id"] = id,
            ["object"] = "webhook_endpoint",
            ["api_version"] = p.Str("api_version"),
            ["application"] = null,
            ["created"] = c.Now,
            ["description"] = p.Str("description"),
            ["enabled_events"] = Events(p),
            ["livemode"] = false,
            ["metadata"] = p.Metadata() ?? new JsonObject(),
            ["status"] = "enabled",
            ["url"] = Url(p),
        };
        c.State.Add(c.Account, "webhook_endpoint", endpoint);
        var shown = (JsonObject)endpoint.DeepClone();
        shown["secret"] = secret; // only in the answer to create, as on Stripe
        return shown;
    }

    private static string Url(P p)
    {
        var url = p.Req("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
            throw StripeError.Invalid($"Invalid URL: {url}. A webhook endpoint's URL must be an absolute http(s) URL.", "url", "url_invalid");
        return url;
    }

    private static JsonArray Events(P p)
    {
        var types = p.Strings("enabled_events").ToList();
        if (types.Count == 0) throw StripeError.ParamMissing("enabled_events");
        for (var i = 0; i < types.Count; i++)
            if (types[i] != "*" && !Webhooks.EventTypes.Contains(types[i]))
                throw StripeError.Invalid($"Invalid enabled_events[{i}]: {types[i]} is not an event type Stripe sends (\"*\" takes them all).", $"enabled_events[{i}]");
        return new JsonArray([.. types.Distinct().Select(t => (JsonNode)t)]);
    }
}
