using static StripeMcp.Tools.Catalog.SharedParams;

namespace StripeMcp.Tools.Catalog;

/// <summary>Test clocks (test mode only: with a live key these tools do not exist): time for subscriptions, moved on demand.</summary>
internal static class TestClocks
{
    private const string Clock = "test_helpers.test_clock";

    public static IEnumerable<ToolDefinition> Tools() =>
    [
        new("create_test_clock", "testClocks.create", "Create test clock",
            "Create a clock frozen at a time; customers created with its id (test_clock) live on its time, so renewals, trials and retries can be run ahead.",
            Post, "/v1/test_helpers/test_clocks", Hints.Write,
            [new IntParam("frozen_time", "Unix time the clock starts at.", Required: true), new StringParam("name", "A label for people.", MaxLength: 300)]) { ReturnsAs = Clock },
        new("advance_test_clock", "testClocks.update", "Advance test clock",
            "Move a clock forward: what would happen to its customers' subscriptions in that time happens, in order, with its events. Status is advancing until it is ready (retrieve it).",
            Post, "/v1/test_helpers/test_clocks/{test_clock}/advance", Hints.Write,
            [Id("test_clock", "clock_", required: true), new IntParam("frozen_time", "Unix time to move to; later than the clock's.", Required: true)]) { ReturnsAs = Clock },
        new("retrieve_test_clock", "testClocks.read", "Retrieve test clock",
            "Retrieve a clock: frozen_time, status (advancing or ready).",
            Get, "/v1/test_helpers/test_clocks/{test_clock}", Read, [Id("test_clock", "clock_", required: true)]) { ReturnsAs = Clock },
        new("list_test_clocks", "testClocks.read", "List test clocks",
            "List test clocks.",
            Get, "/v1/test_helpers/test_clocks", Read, [.. Paging]),
        new("delete_test_clock", "testClocks.delete", "Delete test clock",
            "Delete a clock and every object on it (its customers, their subscriptions).",
            Delete, "/v1/test_helpers/test_clocks/{test_clock}", Hints.Destructive | Hints.Idempotent, [Id("test_clock", "clock_", required: true)]) { ReturnsAs = Clock },
    ];
}
