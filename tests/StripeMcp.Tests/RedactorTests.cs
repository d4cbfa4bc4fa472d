namespace StripeMcp.Tests;

public sealed class RedactorTests
{
    [Theory]
    [InlineData("key sk_test_51Habc123 here", "key sk_test_… here")]
    [InlineData("rk_live_XYZ", "rk_live_…")]
    [InlineData("whsec_abc123", "whsec_…")]
    [InlineData("Invalid API Key provided: sk_test_****abcd", "Invalid API Key provided: sk_test_…")]
    [InlineData("sk_abcdef", "sk_…")]
    [InlineData("risk_level and task_id and sk_test_… stay", "risk_level and task_id and sk_test_… stay")]
    [InlineData("network_error, fork_test_results", "network_error, fork_test_results")]
    [InlineData("req_sk_test_51GluedKey", "req_sk_test_…")]               // glued to a word by '_'
    [InlineData("tokensk_live_0123456789abc", "tokensk_live_…")]          // glued to letters: a mode-qualified key is one anyway
    [InlineData("xwhsec_abcDEF123", "xwhsec_…")]
    public void Masks_secrets_to_their_prefix(string input, string expected) => Assert.Equal(expected, Redactor.Redact(input));
}
