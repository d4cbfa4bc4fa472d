namespace StripeMcp.Tests;

public sealed class StateFileModeTests
{
    [Fact]
    public async Task A_new_state_file_and_its_folder_are_readable_by_their_owner_only()
    {
        if (OperatingSystem.IsWindows()) return;
        var folder = Path.Combine(Path.GetTempPath(), $"stripe-mcp-mode-{Guid.NewGuid():N}", "state");
        var state = Path.Combine(folder, "state.db");
        await using (var store = await SqliteStateStore.OpenAsync(state, CancellationToken.None))
            await store.KeepWebhookSecretAsync(new KeptSecret("we_1Mode", "http://127.0.0.1:1/webhooks/stripe", "whsec_modeModeMode0123456789", DateTimeOffset.UtcNow), CancellationToken.None);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        const UnixFileMode others = UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        foreach (var file in Directory.GetFiles(folder))
            Assert.True((File.GetUnixFileMode(file) & others) == 0, $"{file}: {File.GetUnixFileMode(file)}");

        // A file from before (readable by others) is made the owner's alone when it is opened.
        File.SetUnixFileMode(state, File.GetUnixFileMode(state) | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        await using (await SqliteStateStore.OpenAsync(state, CancellationToken.None)) { }
        Assert.True((File.GetUnixFileMode(state) & others) == 0, $"{File.GetUnixFileMode(state)}");
    }
}
