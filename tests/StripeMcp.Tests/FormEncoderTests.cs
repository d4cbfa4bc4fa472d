using System.Text.Json;
using StripeMcp.Stripe;

namespace StripeMcp.Tests;

public sealed class FormEncoderTests
{
    [Fact]
    public void Nested_objects_arrays_booleans_and_escaping()
    {
        var json = JsonDocument.Parse("""{"a":{"b":{"c":1}},"items":[{"price":"p","quantity":2}],"flag":false,"skip":null,"s":"x&y=z"}""").RootElement;
        var form = FormEncoder.Encode(json.EnumerateObject().Select(p => new KeyValuePair<string, JsonElement>(p.Name, p.Value)));
        Assert.Equal("a[b][c]=1&items[0][price]=p&items[0][quantity]=2&flag=false&s=x%26y%3Dz", form);
    }
}
