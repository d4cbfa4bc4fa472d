using System.Text.Json;
using System.Text.Json.Nodes;

namespace StripeMcp.Tools;

/// <summary>
/// A tool as the engine serves it to every host: how it is listed, and one call with a caller's arguments. The MCP
/// server publishes each as an MCP tool, and other hosts in their own form; none adds a check of its own.
/// </summary>
internal abstract class EngineTool
{
    public abstract ToolListing Listing { get; }

    public abstract Task<ToolAnswer> CallAsync(IReadOnlyDictionary<string, JsonElement> args, CallContext context, CancellationToken ct);
}

/// <summary>How a tool is listed: its name, title, description, the JSON schema of its arguments, and its hints.</summary>
internal sealed record ToolListing(string Name, string? Title, string Description, JsonElement InputSchema, ToolHints Hints);

/// <summary>
/// The behaviour hints as they are stated (null: not stated, so a client applies MCP's default: readOnly false,
/// destructive true, idempotent false, openWorld true). <see cref="Title"/> repeats the title inside the hints.
/// </summary>
internal sealed record ToolHints(bool? ReadOnly = null, bool? Destructive = null, bool? Idempotent = null, bool? OpenWorld = null, string? Title = null);

/// <summary>
/// What a call answered: Stripe's object (or this server's JSON answer) or an error, as JSON text with every secret
/// masked, the same JSON as structured content for a success, and notes for the agent after it.
/// </summary>
internal sealed record ToolAnswer(bool IsError, string Text, JsonElement? Structured)
{
    public List<string> Notes { get; } = [];

    /// <summary>Facts about the call for a client, beside the answer (MCP's _meta).</summary>
    public JsonObject? Meta { get; set; }

    public static ToolAnswer Ok(JsonObject json) => Ok(System.Text.Encoding.UTF8.GetBytes(json.ToJsonString(PlainJson.Options)));

    public static ToolAnswer Ok(byte[] json)
    {
        var decoded = System.Text.Encoding.UTF8.GetString(json);
        var text = Redactor.Redact(decoded);
        // Redact hands back the same string when it found nothing to mask: then the bytes can be parsed as they are.
        using var structured = JsonDocument.Parse(ReferenceEquals(text, decoded) ? json : System.Text.Encoding.UTF8.GetBytes(text));
        return new ToolAnswer(false, text, structured.RootElement.Clone());
    }

    /// <summary>Every error the agent sees, whatever produced it, is redacted here, once (results in <see cref="Ok(byte[])"/>).</summary>
    public static ToolAnswer Error(string json) => new(true, Redactor.Redact(json), null);
}

/// <summary>What a host lends a call: the way to ask a human (null where the host has none).</summary>
internal sealed record CallContext(IHumanConfirmation? Human)
{
    public static readonly CallContext Unattended = new((IHumanConfirmation?)null);
}

/// <summary>
/// The port through which the pipeline asks a human to confirm a call, filled by the host (an MCP client's
/// elicitation or input-required result; an application's approval).
/// </summary>
internal interface IHumanConfirmation
{
    /// <param name="binding">What exactly is asked about (the caller, the tool, the account and every argument): an answer a host
    /// carries from one request to the next must be for this very call, never another.</param>
    Task<Consent> AskAsync(string question, string binding, CancellationToken ct);

    /// <summary>Whether an exception is the host suspending the call to ask (it then passes through the pipeline untouched).</summary>
    bool Suspends(Exception e);
}

internal enum ConsentKind { Accepted, Declined, Cancelled, Unavailable }

/// <param name="Why">For <see cref="ConsentKind.Unavailable"/>: why no human can be asked, as the rest of "X needs a human's confirmation, …".</param>
/// <param name="WhatWorks">For <see cref="ConsentKind.Unavailable"/>: a sentence on what would let the host ask, or null.</param>
internal sealed record Consent(ConsentKind Kind, string? Why = null, string? WhatWorks = null)
{
    public static readonly Consent Accepted = new(ConsentKind.Accepted), Declined = new(ConsentKind.Declined), Cancelled = new(ConsentKind.Cancelled);
}
