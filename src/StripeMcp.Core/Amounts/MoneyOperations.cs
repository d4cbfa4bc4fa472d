using System.Text.Json;
using System.Text.RegularExpressions;

namespace StripeMcp.Amounts;

/// <summary>
/// The one money check, keyed by the Stripe operation a call makes — whichever surface made it (a typed tool,
/// <c>stripe_api_write</c>, surfaces to come). An operation is known here when money-parameters.txt classifies
/// its parameters; it moves money when <see cref="Rules"/> has its rule. A call is measured only after every
/// parameter it carries is found measured or neutral there: anything else (refused, unclassified, an operation
/// the file does not know) throws <see cref="AmountUnknown"/> naming it, and nothing is sent.
/// </summary>
internal static partial class MoneyOperations
{
    /// <summary>"POST /v1/subscriptions/{}": the method and the path with its holes unnamed, so typed and generic rows meet.</summary>
    public static string Key(HttpMethod method, string path) => $"{method.Method} {Holes().Replace(path, "{}")}";

    [GeneratedRegex(@"\{\w+\}")]
    private static partial Regex Holes();

    /// <summary>Each money-moving operation's rule, by <see cref="Key"/>.</summary>
    private static readonly Dictionary<string, MoneyRule> Rules = new()
    {
        ["POST /v1/refunds"] = MoneyRules.Refund,
        ["POST /v1/payment_intents"] = MoneyRules.Fields("amount"),
        ["POST /v1/payment_intents/{}"] = MoneyRules.IntentUpdate,
        ["POST /v1/payment_intents/{}/confirm"] = MoneyRules.Confirm,
        ["POST /v1/payment_intents/{}/capture"] = MoneyRules.Capture,
        ["POST /v1/invoices"] = MoneyRules.NewInvoice,
        ["POST /v1/invoices/{}/finalize"] = MoneyRules.Invoice("amount_due"),
        ["POST /v1/invoices/{}/send"] = MoneyRules.Invoice("amount_remaining"),
        ["POST /v1/invoices/{}/pay"] = MoneyRules.PayInvoice,
        ["POST /v1/invoiceitems"] = MoneyRules.InvoiceItem,
        ["POST /v1/prices"] = MoneyRules.Fields("unit_amount"),
        ["POST /v1/transfers"] = MoneyRules.Fields("amount"),
        ["POST /v1/payment_links"] = MoneyRules.LineItems(),
        ["POST /v1/checkout/sessions"] = MoneyRules.LineItems(),
        ["POST /v1/subscriptions"] = MoneyRules.NewSubscription,
        ["POST /v1/subscriptions/{}"] = MoneyRules.SubscriptionUpdate,
        ["DELETE /v1/subscriptions/{}"] = MoneyRules.SubscriptionCancel,
    };

    /// <summary>The rule of the operation, or null when it moves no money (or is not known here).</summary>
    public static MoneyRule? RuleFor(HttpMethod method, string path) => Rules.GetValueOrDefault(Key(method, path));

    /// <summary>Every operation with a rule, by key (for tests and the limits table of docs/tools.md).</summary>
    public static IReadOnlyCollection<string> MoneyKeys => Rules.Keys;

    /// <summary>
    /// What a call of this operation moves (null: nothing), or <see cref="AmountUnknown"/> naming what cannot be
    /// measured. <paramref name="fields"/> are what is sent (form or query); <paramref name="holes"/> the path's ids.
    /// </summary>
    public static async Task<Money?> MeasureAsync(HttpMethod method, string path, IReadOnlyDictionary<string, JsonElement> holes,
        IEnumerable<KeyValuePair<string, JsonElement>> fields, Lookup lookup, CancellationToken ct)
    {
        var key = Key(method, path);
        var classes = MoneyParameters.For(key)
            ?? throw new AmountUnknown($"{method.Method} {path} is not an operation whose money the limits can measure (it may charge, pay out or bill, and no rule says how much), so it is refused while limits are configured");
        var sent = fields.ToList();
        if (MoneyParameters.Unverifiable(classes, sent) is { } problem) throw new AmountUnknown(problem);
        if (!Rules.TryGetValue(key, out var rule)) return null;
        var all = new Dictionary<string, JsonElement>(holes);
        foreach (var (name, value) in sent) all[name] = value;
        return await rule.Resolve(all, lookup, ct);
    }
}
