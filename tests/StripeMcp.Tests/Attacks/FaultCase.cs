namespace StripeMcp.Tests.Attacks;

/// <summary>
/// One generated call: <see cref="ArgumentsJson"/> is one fault away from a valid call of <see cref="Tool"/>.
/// <see cref="Path"/> is the faulty argument as the server should name it ("customer", "items[0].price").
/// <see cref="Raw"/>: the SDK client cannot send these arguments (lone surrogates, JSON deeper than 64), so
/// the test writes them as JSON-RPC text itself.
/// </summary>
public sealed record FaultCase(string Tool, string Category, string Fault, string Path, string ArgumentsJson, bool Raw)
{
    /// <summary>The fault without this argument's particulars ("{p}/../x", "wrong prefix"), to count like faults together.</summary>
    public string Kind { get; init; } = Fault;

    public override string ToString() => $"{Tool} [{Category}] {Fault} @ {Path}";
}
