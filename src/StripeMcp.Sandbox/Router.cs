using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>Method + path template → handler. Templates name their variables: /v1/customers/{id}.</summary>
public sealed class Router
{
    private readonly List<(string Method, string[] Segments, Func<Call, JsonObject> Handler)> _routes = [];

    public Router Get(string template, Func<Call, JsonObject> h) => Add("GET", template, h);
    public Router Post(string template, Func<Call, JsonObject> h) => Add("POST", template, h);
    public Router Delete(string template, Func<Call, JsonObject> h) => Add("DELETE", template, h);

    private Router Add(string method, string template, Func<Call, JsonObject> handler)
    {
        _routes.Add((method, template.Trim('/').Split('/'), handler));
        return this;
    }

    public (Func<Call, JsonObject> Handler, Dictionary<string, string> Args)? Match(string method, string path)
    {
        var parts = path.Trim('/').Split('/');
        var pathMatched = false;
        foreach (var (m, segments, handler) in _routes)
        {
            if (segments.Length != parts.Length) continue;
            var args = new Dictionary<string, string>();
            var ok = true;
            for (var i = 0; i < parts.Length && ok; i++)
            {
                if (segments[i].StartsWith('{')) args[segments[i][1..^1]] = Uri.UnescapeDataString(parts[i]);
                else ok = segments[i] == parts[i];
            }
            if (!ok) continue;
            pathMatched = true;
            if (m == method) return (handler, args);
        }
        if (pathMatched)
            throw NotFound(method, path);
        return null;
    }

    /// <summary>Stripe's answer to a route it does not have, whether the path is unknown or the method is: 404, the same words.</summary>
    public static StripeError NotFound(string method, string path) =>
        new(404, "invalid_request_error", $"Unrecognized request URL ({method}: {path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.");
}
