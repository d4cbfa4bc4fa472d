using System.Text.Json;
using StripeMcp.Tools.Catalog;

namespace StripeMcp.Configuration;

// The config file's limits: per tool or resource, maxAmount and maxTotal by currency over a window, and allowed currencies.
internal static partial class OptionsLoader
{
    private static readonly string[] LimitKeys = ["maxAmount", "maxTotal", "window", "currencies"];

    private sealed partial record ConfigFile
    {
        private static LimitSettings ReadLimits(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object like {{\"currencies\": [\"usd\"], \"refunds\": {{\"maxAmount\": {{\"usd\": 10000}}}}}}");
                return new();
            }
            var keys = ToolCatalog.LimitKeys;
            IReadOnlySet<string>? currencies = null;
            var rules = new List<LimitRule>();
            foreach (var p in e.EnumerateObject())
            {
                var pat = $"{at}.{p.Name}";
                if (p.Name == "currencies") { currencies = Currencies(p.Value, pat, problems); continue; }
                var key = ToolCatalog.Find(p.Name)?.Name ?? SnakeRegex().Replace(p.Name, m => m.Groups[1].Value.ToUpperInvariant());
                if (!keys.Contains(key))
                {
                    var known = ToolCatalog.Find(p.Name) is not null || Api.ApiPermissions.Actions.ContainsKey(key);
                    problems.Add(known
                        ? $"{pat}: {p.Name} moves no money, so it has no amount to limit; limits apply to: {string.Join(", ", keys)}"
                        : $"{pat}: unknown resource or tool \"{p.Name}\"{DidYouMean(p.Name, keys.Append("currencies"))}; limits apply to: {string.Join(", ", keys)}");
                    continue;
                }
                if (!ExpectObject(p.Value, pat, LimitKeys, problems)) continue;
                var maxAmount = p.Value.TryGetProperty("maxAmount", out var ma) ? Amounts(ma, pat + ".maxAmount", problems) : new Dictionary<string, long>();
                var maxTotal = p.Value.TryGetProperty("maxTotal", out var mt) ? Amounts(mt, pat + ".maxTotal", problems) : new Dictionary<string, long>();
                var window = TimeSpan.FromHours(24);
                if (p.Value.TryGetProperty("window", out var w))
                {
                    if (w.ValueKind == JsonValueKind.String && LimitSettings.ParseWindow(w.GetString()!) is { } parsed) window = parsed;
                    else problems.Add($"{pat}.window: must be a duration like \"24h\", \"30m\", \"7d\"");
                }
                else if (maxTotal.Count > 0) problems.Add($"{pat}.window: is required with maxTotal (e.g. \"24h\"): totals are rolling sums over it");
                var ruleCurrencies = p.Value.TryGetProperty("currencies", out var rc) ? Currencies(rc, pat + ".currencies", problems) : null;
                rules.Add(new LimitRule(key, maxAmount, maxTotal, window, ruleCurrencies));
            }
            return new LimitSettings { Currencies = currencies, Rules = rules };
        }

        private static IReadOnlySet<string>? Currencies(JsonElement e, string at, List<string> problems)
        {
            var list = Strings(e, at, problems);
            foreach (var c in list.Where(c => c.Length != 3 || !c.All(char.IsAsciiLetterLower)))
                problems.Add($"{at}: \"{c}\" is not a lowercase three-letter currency code like \"usd\"");
            return list.ToHashSet();
        }

        private static Dictionary<string, long> Amounts(JsonElement e, string at, List<string> problems)
        {
            var result = new Dictionary<string, long>();
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object of currency → amount in the smallest unit, like {{\"usd\": 10000}}");
                return result;
            }
            foreach (var p in e.EnumerateObject())
            {
                if (p.Name.Length != 3 || !p.Name.All(char.IsAsciiLetterLower))
                    problems.Add($"{at}.{p.Name}: \"{p.Name}\" is not a lowercase three-letter currency code like \"usd\"");
                else if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) && n >= 0) result[p.Name] = n;
                else problems.Add($"{at}.{p.Name}: must be a whole amount >= 0 in the currency's smallest unit (10000 = $100.00)");
            }
            return result;
        }
    }
}
