using StripeMcp.Tests.Support;

namespace StripeMcp.Tests.Attacks;

/// <summary>One hostile case: a call, the answers the stand-in gives (in order; the redirect target is passed in), what must come back.</summary>
public sealed record HostileCase(string Name, string Tool, Func<string, string> Args, Func<FakeStripe, Scripted[]> Script, Expected Expect);
