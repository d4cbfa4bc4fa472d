using System.Text.Json;

namespace StripeMcp.Configuration;

// Reading JSON values of the config file, each adding a problem that names its path when the value has the wrong shape.
internal static partial class OptionsLoader
{
    private sealed partial record ConfigFile
    {
        private static List<string> Strings(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.String))
            {
                problems.Add($"{at}: must be an array of strings");
                return [];
            }
            return e.EnumerateArray().Select(x => x.GetString()!).ToList();
        }

        private static bool? Bool(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind is JsonValueKind.True or JsonValueKind.False) return e.GetBoolean();
            problems.Add($"{at}: must be true or false");
            return null;
        }

        private static long? PositiveInt(JsonElement e, string at, List<string> problems)
        {
            if (e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var n) && n > 0) return n;
            problems.Add($"{at}: must be a whole number above 0");
            return null;
        }

        private static bool ExpectObject(JsonElement e, string at, string[] keys, List<string> problems)
        {
            if (e.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{at}: must be an object with {string.Join(", ", keys)}");
                return false;
            }
            foreach (var p in e.EnumerateObject().Where(p => !keys.Contains(p.Name)))
                problems.Add($"{at}.{p.Name}: unknown key{DidYouMean(p.Name, keys)}; allowed: {string.Join(", ", keys)}");
            return true;
        }

        private static string FirstSentence(string message)
        {
            foreach (var tail in new[] { " Path:", " LineNumber:" })
            {
                var cut = message.IndexOf(tail, StringComparison.Ordinal);
                if (cut > 0) message = message[..cut];
            }
            return message;
        }
    }
}
