using System.Text.Json;
using StripeMcp.Stripe;

namespace StripeMcp.Tests;

public sealed class ResultShaperTests
{
    [Fact]
    public void Compacts_depth_first_and_keeps_falsy_values()
    {
        var shaped = ResultShaper.Shape(JsonDocument.Parse("""{"id":"x","a":null,"b":{"c":null,"d":[]},"e":0,"f":false,"g":"","h":[null,{"i":null},1],"j":"Zoë & <b>"}""").RootElement);
        Assert.Equal("""{"id":"x","e":0,"f":false,"g":"","h":[1],"j":"Zoë & <b>"}""", System.Text.Encoding.UTF8.GetString(shaped));
    }

    [Fact]
    public void Search_results_keep_their_own_next_page_and_get_no_cursor()
    {
        var shaped = JsonDocument.Parse(ResultShaper.Shape(JsonDocument.Parse("""{"object":"search_result","data":[{"id":"cus_1"}],"has_more":true,"next_page":"page_2"}""").RootElement)).RootElement;
        Assert.Equal("page_2", shaped.GetProperty("next_page").GetString());
        Assert.False(shaped.TryGetProperty("next_starting_after", out _));
    }
}
