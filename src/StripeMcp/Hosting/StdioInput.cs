using System.IO.Pipelines;
using System.Text;
using System.Text.RegularExpressions;

namespace StripeMcp.Hosting;

/// <summary>
/// stdin as the MCP server reads it, one JSON-RPC line at a time, with every escaped lone surrogate
/// (<c>"\uD800"</c> without its pair) turned into <c>"\uFFFD"</c>. The SDK cannot read a lone surrogate
/// and would answer the whole call with a bare "An error occurred." before any tool runs, unaudited; as
/// U+FFFD it reaches the tool, whose validation refuses it by name (invalid bytes arrive as U+FFFD too).
/// </summary>
public static partial class StdioInput
{
    public static Stream Open(Stream stdin)
    {
        var pipe = new Pipe();
        _ = Task.Run(async () =>
        {
            try
            {
                using var reader = new StreamReader(stdin, new UTF8Encoding(false));
                while (await reader.ReadLineAsync() is { } line)
                    await pipe.Writer.WriteAsync(Encoding.UTF8.GetBytes(Mend(line) + "\n"));
                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
            }
        });
        return pipe.Reader.AsStream();
    }

    public static string Mend(string json) =>
        json.Contains("\\u", StringComparison.Ordinal) ? LoneSurrogate().Replace(json, @"\uFFFD") : json;

    [GeneratedRegex(@"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneSurrogate();
}
