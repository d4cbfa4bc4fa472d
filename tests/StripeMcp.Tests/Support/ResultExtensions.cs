using System.Text.Json;
using ModelContextProtocol.Protocol;

namespace StripeMcp.Tests.Support;

/// <summary>What a tool call answered: its text, its JSON, its error.</summary>
public static class ResultExtensions
{
    public static string Text(this CallToolResult r) => string.Concat(r.Content.OfType<TextContentBlock>().Select(b => b.Text));

    /// <summary>The result's JSON: its first text block (a replay adds a second, a note saying so).</summary>
    public static JsonElement Json(this CallToolResult r) => JsonDocument.Parse(r.Content.OfType<TextContentBlock>().First().Text).RootElement;

    /// <summary>The {"error": …} of a failed call; fails the test when the call did not fail.</summary>
    public static JsonElement Error(this CallToolResult r)
    {
        Assert.True(r.IsError, r.Text());
        return r.Json().GetProperty("error");
    }
}
