namespace StripeMcp.Sandbox.Resources;

/// <summary>Events: what happened, as webhooks deliver it; retrieve and list (by type, or type.*).</summary>
internal static partial class Connect
{
    private static void RegisterEvents(Router r)
    {
        r.Get("/v1/events/{id}", c => c.Get("event", c.Id))
         .Get("/v1/events", c =>
         {
             c.P.Allow([.. Lists.PagingParams, "type", "types", "delivery_success"]);
             var items = c.All("event");
             if (c.P.Str("type") is { } type)
                 items = type.EndsWith(".*", StringComparison.Ordinal)
                     ? items.Where(e => e["type"]!.GetValue<string>().StartsWith(type[..^1], StringComparison.Ordinal))
                     : items.Where(e => e["type"]!.GetValue<string>() == type);
             var types = c.P.Strings("types").ToHashSet();
             if (types.Count > 0) items = items.Where(e => types.Contains(e["type"]!.GetValue<string>()));
             return Lists.Page(c, items);
         });
    }
}
