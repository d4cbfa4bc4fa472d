namespace StripeMcp.Tests;

/// <summary>The chain's checks on records built by hand: every kind of tampering is named at the first record it breaks.</summary>
public sealed class AuditChainTests
{
    private static List<AuditRecord> Chain(int n)
    {
        var list = new List<AuditRecord>();
        var prev = AuditChain.Genesis;
        for (var i = 1; i <= n; i++)
        {
            var json = $$"""{"n":{{i}}}""";
            var hash = AuditChain.Hash(i, prev, DateTimeOffset.UnixEpoch.AddMinutes(i), json);
            list.Add(new AuditRecord(i, DateTimeOffset.UnixEpoch.AddMinutes(i), json, prev, hash));
            prev = hash;
        }
        return list;
    }

    private static Task<(long Count, string Last, AuditBreak? Break)> Verify(IEnumerable<AuditRecord> records) =>
        AuditChain.VerifyAsync(records.ToAsyncEnumerable(), CancellationToken.None);

    [Fact]
    public async Task An_untouched_chain_holds()
    {
        var chain = Chain(5);
        Assert.Equal((5L, chain[^1].Hash, (AuditBreak?)null), await Verify(chain));
        Assert.Equal((0L, AuditChain.Genesis, (AuditBreak?)null), await Verify([]));
    }

    [Fact]
    public async Task An_edited_record_breaks_at_itself()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Json = """{"n":33}""" };
        var (_, _, broken) = await Verify(chain);
        Assert.Equal(3, broken?.Seq);
        Assert.Contains("edited", broken!.Problem);
    }

    [Fact]
    public async Task A_record_moved_in_time_breaks_at_itself_so_since_cannot_hide_it_from_verify()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { At = chain[2].At.AddDays(-30) };
        var (_, _, broken) = await Verify(chain);
        Assert.Equal(3, broken?.Seq);
        Assert.Contains("time", broken!.Problem);
    }

    [Fact]
    public async Task An_edited_record_with_its_hash_recomputed_breaks_at_the_next_one()
    {
        var chain = Chain(5);
        chain[2] = chain[2] with { Json = """{"n":33}""", Hash = AuditChain.Hash(3, chain[2].Prev, chain[2].At, """{"n":33}""") };
        Assert.Equal(4, (await Verify(chain)).Break?.Seq);
    }

    [Fact]
    public async Task A_deleted_record_is_missing_and_renumbering_does_not_hide_it()
    {
        var chain = Chain(5);
        chain.RemoveAt(1);
        var (count, _, broken) = await Verify(chain);
        Assert.Equal((1L, 3L), (count, broken?.Seq));
        Assert.Contains("record 2 is missing", broken!.Problem);

        var renumbered = chain.Select((r, i) => r with { Seq = i + 1 }).ToList();
        Assert.Equal(2, (await Verify(renumbered)).Break?.Seq);
    }

    [Fact]
    public async Task Reordered_records_break_at_the_first_moved_one()
    {
        var chain = Chain(5);
        // Records 2 and 4 trade places, each keeping its number.
        (chain[1], chain[3]) = (chain[3] with { Seq = 2 }, chain[1] with { Seq = 4 });
        var (_, _, broken) = await Verify(chain);
        Assert.Equal(2, broken?.Seq);
        Assert.Contains("does not link", broken!.Problem);
    }

    [Fact]
    public async Task Records_cut_from_the_start_are_caught()
    {
        Assert.Equal(3, (await Verify(Chain(5).Skip(2))).Break?.Seq);
    }
}
