using System.Text.Json;
using StripeMcp.Sandbox;

namespace StripeMcp.Tests;

public sealed class FormTests
{
    [Fact]
    public void Nested_keys_arrays_and_appends_become_a_tree()
    {
        var tree = Form.Parse("a[b][c]=1&items[1][price]=p2&items[0][price]=p1&expand[]=x&expand[]=y&name=Zo%C3%AB+Co&empty=");
        Assert.Equal("""{"a":{"b":{"c":"1"}},"items":[{"price":"p1"},{"price":"p2"}],"expand":["x","y"],"name":"Zoë Co","empty":""}""", tree.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }
}
