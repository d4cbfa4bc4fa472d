using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StripeMcp.State;

/// <summary>Where a chain stops being what was written: the record, and what is wrong with it.</summary>
internal sealed record AuditBreak(long Seq, string Problem);

/// <summary>
/// The audit trail's tamper evidence: record n's hash is SHA-256 of its number, record n-1's hash, its time and
/// its own text, so editing, deleting, inserting, reordering or re-dating any record breaks every link after it.
/// (Records written before the time was hashed verify by the older hash, until the first record that has it.) (The
/// last records can be cut off without a trace in the chain itself: compare the count and last hash with
/// a copy kept elsewhere, such as the --audit-log file.)
/// </summary>
internal static class AuditChain
{
    /// <summary>What the first record links to.</summary>
    public static readonly string Genesis = new('0', 64);

    public static string Hash(long seq, string prev, DateTimeOffset at, string json) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seq}\n{prev}\n{at.ToUnixTimeMilliseconds()}\n{json}"))));

    /// <summary>The hash of records written before their time was in it.</summary>
    private static string Untimed(long seq, string prev, string json) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{seq}\n{prev}\n{json}"))));

    /// <summary>The first record that does not follow from the ones before it, or null when the whole chain holds.</summary>
    public static async Task<(long Count, string Last, AuditBreak? Break)> VerifyAsync(IAsyncEnumerable<AuditRecord> records, CancellationToken ct)
    {
        long count = 0, expected = 1;
        var prev = Genesis;
        var timed = false;
        await foreach (var r in records.WithCancellation(ct))
        {
            if (r.Seq != expected)
                return (count, prev, new AuditBreak(r.Seq, r.Seq > expected
                    ? $"record {expected}{(r.Seq - expected > 1 ? $" to {r.Seq - 1}" : "")} is missing (the chain goes from {expected - 1} to {r.Seq})"
                    : $"record {r.Seq} comes again after {expected - 1}"));
            if (r.Prev != prev)
                return (count, prev, new AuditBreak(r.Seq, $"it does not link to record {r.Seq - 1} (its previous hash is {Short(r.Prev)}, record {r.Seq - 1}'s is {Short(prev)}): a record before it was edited, removed or moved"));
            if (Hash(r.Seq, r.Prev, r.At, r.Json) == r.Hash) timed = true;
            else if (timed || Untimed(r.Seq, r.Prev, r.Json) != r.Hash)
                return (count, prev, new AuditBreak(r.Seq, "its content or time does not match its hash: the record was edited"));
            prev = r.Hash;
            count++;
            expected++;
        }
        return (count, prev, null);
    }

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] + "…" : hash;
}
