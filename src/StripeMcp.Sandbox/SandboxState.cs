using System.Text.Json.Nodes;

namespace StripeMcp.Sandbox;

/// <summary>
/// Everything the sandbox knows, per account. The platform is account "", a connected account is its
/// acct_ id; an object is visible only to the account that created it. One lock guards it all:
/// every request runs inside it, so each request is atomic (as Stripe's are).
/// </summary>
public sealed class SandboxState(int randomSeed = 42, Func<long>? clock = null)
{
    /// <summary>The platform account's id, as GET /v1/account answers it.</summary>
    public string PlatformAccount { get; init; } = Resources.Connect.PlatformId;

    public const string Platform = "";
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private readonly Dictionary<string, (string Account, string Type, JsonObject Obj)> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), List<JsonObject>> _lists = new();
    private readonly Random _random = new(randomSeed);
    private readonly Func<long> _clock = clock ?? (() => DateTimeOffset.UtcNow.ToUnixTimeSeconds());

    public object Lock { get; } = new();

    /// <summary>Side data a Stripe object cannot carry: which test card a payment method stands for.</summary>
    public Dictionary<string, string> CardBehaviour { get; } = new(StringComparer.Ordinal);

    /// <summary>Line items of checkout sessions and quotes, by their id, in the order given.</summary>
    public Dictionary<string, JsonArray> LineItems { get; } = new(StringComparer.Ordinal);

    /// <summary>The payment intent that paid an invoice, by invoice id (invoices of this API version list payments, not a payment intent).</summary>
    public Dictionary<string, string> InvoicePayments { get; } = new(StringComparer.Ordinal);

    /// <summary>Signing secrets of webhook endpoints, by endpoint id (Stripe shows one only when it is created).</summary>
    public Dictionary<string, string> WebhookSecrets { get; } = new(StringComparer.Ordinal);

    /// <summary>Each object as its latest event showed it, by id: what an update's previous_attributes are read from.</summary>
    public Dictionary<string, JsonObject> Snapshots { get; } = new(StringComparer.Ordinal);

    /// <summary>Sends events to webhook endpoints (null: nobody listens, e.g. a state used alone in a unit test).</summary>
    public Webhooks? Webhooks { get; set; }

    /// <summary>Subscriptions whose trial_will_end event was sent (once per trial).</summary>
    public HashSet<string> TrialWarned { get; } = new(StringComparer.Ordinal);

    /// <summary>A past_due subscription's next payment attempt: when, which invoice, how many attempts have failed.</summary>
    public Dictionary<string, (long At, string Invoice, int Failures)> Retries { get; } = new(StringComparer.Ordinal);

    /// <summary>(account, idempotency key) → the first request's fingerprint and answer.</summary>
    public Dictionary<(string, string), (string Fingerprint, int Status, string Body)> Idempotency { get; } = new();

    public long Now() => _clock();

    public string NewId(string prefix, int length = 24)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[_random.Next(Alphabet.Length)];
        return $"{prefix}_{chars}";
    }

    public string Secret(string prefix) => $"{prefix}_secret_{NewId("x", 24)[2..]}";

    public JsonObject Add(string account, string type, JsonObject obj)
    {
        var id = obj["id"]!.GetValue<string>();
        _byId[id] = (account, type, obj);
        if (!_lists.TryGetValue((account, type), out var list)) _lists[(account, type)] = list = [];
        list.Add(obj);
        return obj;
    }

    public JsonObject? Find(string account, string type, string id) =>
        _byId.TryGetValue(id, out var e) && e.Account == account && e.Type == type ? e.Obj : null;

    /// <summary>The object, or Stripe's 404 naming it ("No such customer: 'cus_x'").</summary>
    public JsonObject Get(string account, string type, string id, string param = "id") =>
        Find(account, type, id) ?? throw StripeError.Missing(type.Replace('_', ' ').Replace(".", " "), id, param);

    /// <summary>Newest first, as Stripe lists.</summary>
    public IEnumerable<JsonObject> List(string account, string type) =>
        _lists.TryGetValue((account, type), out var list) ? Enumerable.Reverse(list) : [];

    public void Remove(string account, string type, string id)
    {
        if (_byId.Remove(id) && _lists.TryGetValue((account, type), out var list))
            list.RemoveAll(o => o["id"]!.GetValue<string>() == id);
    }

    public bool AccountExists(string account) => account == Platform || Find(Platform, "account", account) is not null;
}
