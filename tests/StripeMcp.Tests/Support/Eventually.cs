namespace StripeMcp.Tests.Support;

public static class Eventually
{
    /// <summary>For output that arrives on another pipe (stderr): wait up to 5 s for it, then assert.</summary>
    public static async Task True(Func<bool> condition)
    {
        for (var i = 0; i < 50 && !condition(); i++) await Task.Delay(100);
        Assert.True(condition());
    }
}
