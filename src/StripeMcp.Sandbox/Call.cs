using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>One request as a handler sees it.</summary>
public sealed class Call(SandboxState state, string account, string method, string path, P p, IReadOnlyDictionary<string, string> args, string requestId, string? idempotencyKey)
{
    public SandboxState State { get; } = state;
    public string Account { get; } = account;
    public string Method { get; } = method;
    public string Path { get; } = path;
    public P P { get; } = p;
    public IReadOnlyDictionary<string, string> Args { get; } = args;
    public string RequestId { get; } = requestId;
    public string? IdempotencyKey { get; } = idempotencyKey;

    public string Id => Args["id"];
    public long Now => State.Now();

    public JsonObject Get(string type, string id, string param = "id") => State.Get(Account, type, id, param);
    public JsonObject? Find(string type, string id) => State.Find(Account, type, id);
    public IEnumerable<JsonObject> All(string type) => State.List(Account, type);

    /// <summary>Stores a new object and records its "type.created" event.</summary>
    public JsonObject Create(string type, JsonObject obj, string? eventType = null)
    {
        State.Add(Account, type, obj);
        Emit(eventType ?? $"{obj["object"]!.GetValue<string>()}.created", obj);
        return obj;
    }

    /// <summary>
    /// The same request's context running another endpoint's logic with the given parameters, as Stripe does
    /// when one object creates another (a quote's acceptance creates a subscription, a credit note a refund).
    /// </summary>
    public Call Inner(string method, string path, JsonObject parameters, IReadOnlyDictionary<string, string>? args = null) =>
        new(State, Account, method, path, new P(parameters), args ?? new Dictionary<string, string>(), RequestId, IdempotencyKey);

    public void Emit(string type, JsonObject obj, JsonObject? previous = null)
    {
        var data = new JsonObject { ["object"] = obj.DeepClone() };
        if (previous is not null) data["previous_attributes"] = previous;
        State.Add(Account, "event", new JsonObject
        {
            ["id"] = State.NewId("evt"),
            ["object"] = "event",
            ["api_version"] = Sandbox.ApiVersion,
            ["created"] = Now,
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = 0,
            ["request"] = new JsonObject { ["id"] = RequestId, ["idempotency_key"] = IdempotencyKey },
            ["type"] = type,
        });
    }
}
