using System.Collections.Concurrent;
using System.Globalization;

namespace StripeMcp.Sandbox;

/// <summary>What an injected fault does to one request.</summary>
public enum Fault
{
    /// <summary>Handle normally (a step of a script that lets a request through).</summary>
    None,
    /// <summary>429 rate_limit before anything is done, with Stripe-Should-Retry: true.</summary>
    RateLimit,
    /// <summary>500 api_error before anything is done.</summary>
    ServerError,
    /// <summary>503 before anything is done.</summary>
    Unavailable,
    /// <summary>The connection is reset before anything is done.</summary>
    Reset,
    /// <summary>The request waits <see cref="FaultOptions.Stall"/>, then is handled.</summary>
    Stall,
    /// <summary>The request is applied, then the answer is lost as a 500 (the retry must not apply it twice).</summary>
    ServerErrorAfter,
    /// <summary>The request is applied, then the connection is reset.</summary>
    ResetAfter,
}

/// <summary>
/// Fault injection for reliability tests: a scripted sequence (one fault per request, in order) and/or
/// a share of requests that fail with one of <see cref="Kinds"/>. Applies to /v1 requests only.
/// </summary>
public sealed class FaultOptions
{
    private readonly ConcurrentQueue<Fault> _script = new();
    private readonly Random _random;

    public FaultOptions(int seed = 7) => _random = new Random(seed);

    /// <summary>0 to 1: the share of requests that get a random fault from <see cref="Kinds"/>.</summary>
    public double Rate { get; set; }
    public IReadOnlyList<Fault> Kinds { get; set; } = [Fault.RateLimit, Fault.ServerError, Fault.Unavailable, Fault.Reset];
    public TimeSpan Stall { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The next requests get these faults, one each, in order (Fault.None lets one through).</summary>
    public void Script(params Fault[] faults)
    {
        foreach (var f in faults) _script.Enqueue(f);
    }

    public void Clear()
    {
        _script.Clear();
        Rate = 0;
    }

    public Fault Next()
    {
        if (_script.TryDequeue(out var scripted)) return scripted;
        if (Rate <= 0 || Kinds.Count == 0) return Fault.None;
        lock (_random)
            return _random.NextDouble() < Rate ? Kinds[_random.Next(Kinds.Count)] : Fault.None;
    }

    /// <summary>"429", "500", "503", "reset", "stall", "500-after", "reset-after", "ok".</summary>
    public static Fault Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "ok" or "none" => Fault.None,
        "429" => Fault.RateLimit,
        "500" => Fault.ServerError,
        "503" => Fault.Unavailable,
        "reset" => Fault.Reset,
        "stall" => Fault.Stall,
        "500-after" => Fault.ServerErrorAfter,
        "reset-after" => Fault.ResetAfter,
        _ => throw new FormatException($"unknown fault \"{s}\"; use 429, 500, 503, reset, stall, 500-after, reset-after or ok"),
    };

    public static IReadOnlyList<Fault> ParseList(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToList();

    public static double ParseRate(string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0 and <= 1 ? r
            : throw new FormatException($"fault rate must be a number from 0 to 1, got \"{s}\"");
}
