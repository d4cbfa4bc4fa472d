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

    private long? _now;

    /// <summary>The time this request acts at: the sandbox's clock, or the test clock of the customer it concerns.</summary>
    public long Now => _now ?? State.Now();

    /// <summary>From here on this request acts at the customer's test clock's time, if the customer lives on one.</summary>
    public void OnClockOf(JsonObject? customer)
    {
        if (Lists.Text(customer?["test_clock"]) is { } clock && State.Find(Account, "test_helpers.test_clock", clock) is { } c)
            _now = c["frozen_time"]!.Long();
    }

    /// <summary>This request acts at <paramref name="time"/> (a test clock advancing through what happens in its time).</summary>
    public void At(long time) => _now = time;

    public JsonObject Get(string type, string id, string param = "id") => State.Get(Account, type, id, param);
    public JsonObject? Find(string type, string id) => State.Find(Account, type, id);
    public IEnumerable<JsonObject> All(string type) => State.List(Account, type);

    /// <summary>Stores a new object and records the event Stripe emits for its creation, if Stripe emits one.</summary>
    public JsonObject Create(string type, JsonObject obj, string? eventType = null)
    {
        State.Add(Account, type, obj);
        var name = obj["object"]!.GetValue<string>();
        if ((eventType ?? CreatedEvents.GetValueOrDefault(name, $"{name}.created")) is { } created) Emit(created, obj);
        return obj;
    }

    /// <summary>Creations whose event Stripe names otherwise, or does not emit (a payment method only emits payment_method.attached).</summary>
    private static readonly Dictionary<string, string?> CreatedEvents = new(StringComparer.Ordinal)
    {
        ["subscription"] = "customer.subscription.created",
        ["dispute"] = "charge.dispute.created",
        ["payment_method"] = null,
        ["checkout.session"] = null,
    };

    /// <summary>
    /// The same request's context running another endpoint's logic with the given parameters, as Stripe does
    /// when one object creates another (a quote's acceptance creates a subscription, a credit note a refund).
    /// </summary>
    public Call Inner(string method, string path, JsonObject parameters, IReadOnlyDictionary<string, string>? args = null) =>
        new(State, Account, method, path, new P(parameters), args ?? new Dictionary<string, string>(), RequestId, IdempotencyKey) { _now = _now };

    /// <summary>
    /// Records an event of a type Stripe emits, with the object as it is now (and, for an update, the old
    /// values of the fields that changed since its last event), and sends it to the endpoints that want it.
    /// </summary>
    public void Emit(string type, JsonObject obj, JsonObject? previous = null)
    {
        if (!Webhooks.EventTypes.Contains(type)) throw new InvalidOperationException($"the sandbox tried to emit {type}, which Stripe does not emit");
        var now = (JsonObject)obj.DeepClone();
        var data = new JsonObject { ["object"] = now };
        var id = Lists.Text(obj["id"]);
        if (type.EndsWith(".updated", StringComparison.Ordinal))
            data["previous_attributes"] = previous ?? (id is not null && State.Snapshots.TryGetValue(id, out var before) ? Changed(before, now) : new JsonObject());
        if (id is not null) State.Snapshots[id] = (JsonObject)now.DeepClone();
        var endpoints = Webhooks.Subscribed(State, Account, type);
        var evt = new JsonObject
        {
            ["id"] = State.NewId("evt"),
            ["object"] = "event",
            ["api_version"] = Sandbox.ApiVersion,
            ["created"] = Now,
            ["data"] = data,
            ["livemode"] = false,
            ["pending_webhooks"] = endpoints.Count,
            ["request"] = new JsonObject { ["id"] = RequestId, ["idempotency_key"] = IdempotencyKey },
            ["type"] = type,
        };
        if (Account != SandboxState.Platform) evt["account"] = Account; // a connected account's event names it
        State.Add(Account, "event", evt);
        if (endpoints.Count > 0) State.Webhooks?.Deliver(Account, (JsonObject)evt.DeepClone(), endpoints);
    }

    /// <summary>The top-level fields whose values differ, with their old values (Stripe's previous_attributes).</summary>
    private static JsonObject Changed(JsonObject before, JsonObject after)
    {
        var changed = new JsonObject();
        foreach (var (k, v) in before)
            if (!JsonNode.DeepEquals(v, after[k])) changed[k] = v?.DeepClone();
        return changed;
    }
}
