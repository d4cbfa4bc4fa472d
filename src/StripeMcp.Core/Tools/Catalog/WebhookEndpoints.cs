using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

/// <summary>Where Stripe sends events. The signing secret Stripe returns on create is masked, as every whsec_ value is.</summary>
internal static class WebhookEndpoints
{
    private static ArrayParam Events(bool required) => new("enabled_events", "Event types to send, e.g. invoice.paid; \"*\" for all.",
        new StringParam("type", "", MaxLength: 100), Required: required, MinItems: 1, MaxItems: 100);

    private static StringParam Url(bool required) => new("url", "Where Stripe POSTs the events (https).", required, MaxLength: 2048);

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_webhook_endpoint", "webhookEndpoints.create", "Create webhook endpoint",
            "Have Stripe POST events of the given types to a URL, signed with the endpoint's secret. Stripe returns the secret only here and it is masked: the operator copies it from Stripe's dashboard into the handler, unless the url is this server's own receiver (…/webhooks/stripe), whose secret the server keeps.",
            Post, "/v1/webhook_endpoints", Hints.Write,
            [Url(true), Events(true), Description("Why the endpoint exists."), Metadata]),
        new("list_webhook_endpoints", "webhookEndpoints.read", "List webhook endpoints",
            "List webhook endpoints: url, enabled_events, status (enabled or disabled).",
            Get, "/v1/webhook_endpoints", Read, [.. Paging]),
        new("retrieve_webhook_endpoint", "webhookEndpoints.read", "Retrieve webhook endpoint",
            "Retrieve one webhook endpoint.",
            Get, "/v1/webhook_endpoints/{webhook_endpoint}", Read, [Id("webhook_endpoint", "we_", required: true)]),
        new("update_webhook_endpoint", "webhookEndpoints.update", "Update webhook endpoint",
            "Change an endpoint's url or event types, or pause it (disabled: true) without deleting it.",
            Post, "/v1/webhook_endpoints/{webhook_endpoint}", Hints.Idempotent,
            [Id("webhook_endpoint", "we_", required: true), Url(false), Events(false), new BoolParam("disabled", "true stops deliveries; false resumes them."), Description("Why the endpoint exists."), Metadata]),
        new("delete_webhook_endpoint", "webhookEndpoints.delete", "Delete webhook endpoint",
            "Delete a webhook endpoint: Stripe stops sending it events at once.",
            Delete, "/v1/webhook_endpoints/{webhook_endpoint}", Hints.Destructive | Hints.Idempotent, [Id("webhook_endpoint", "we_", required: true)]),
    ];
}
