using System.Runtime.InteropServices;
using Confluent.Kafka;
using Streaming.Processing.Runtime;

namespace Streaming.Processing.Idempotence;

/// <summary>
/// What a consumer of the runtime's outputs (and the tests' oracle comparison) uses to see each output once: per key
/// it remembers the last accepted (owner epoch, revision) and classifies every record as
/// <see cref="Decision.Accept"/>, <see cref="Decision.Repeat"/> (same epoch, revision ≤ the last accepted: a replay
/// or broker duplicate) or <see cref="Decision.Stale"/> (epoch below the highest accepted: a zombie's write).
/// </summary>
/// <remarks>
/// A higher epoch is accepted even with a lower revision: after a takeover the new owner republishes its latest
/// values from its restored state, and the current owner's values win. Versions are compared per key only, so the
/// memory is one entry per key. Not thread-safe.
/// </remarks>
public sealed class OutputDeduplicator<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, (long Epoch, long Revision)> _last;

    public OutputDeduplicator(IEqualityComparer<TKey>? comparer = null)
    {
        _last = new Dictionary<TKey, (long Epoch, long Revision)>(comparer);
    }

    /// <summary>Records accepted, versioned or not.</summary>
    public long AcceptedCount { get; private set; }

    /// <summary>Records dropped as <see cref="Decision.Repeat"/>.</summary>
    public long RepeatCount { get; private set; }

    /// <summary>Records dropped as <see cref="Decision.Stale"/>.</summary>
    public long StaleCount { get; private set; }

    /// <summary>Records accepted by <see cref="Offer(TKey, Headers?)"/> without a readable epoch and revision (also in <see cref="AcceptedCount"/>).</summary>
    public long UnversionedCount { get; private set; }

    /// <summary>Keys with a remembered version.</summary>
    public int KeyCount => _last.Count;

    /// <summary>Classifies an output of <paramref name="key"/> written by owner <paramref name="epoch"/> at <paramref name="revision"/>; an accepted one becomes the key's last version.</summary>
    public Decision Offer(TKey key, long epoch, long revision)
    {
        ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_last, key, out var exists);
        Decision decision;
        if (!exists || epoch > last.Epoch || (epoch == last.Epoch && revision > last.Revision))
        {
            last = (epoch, revision);
            decision = Decision.Accept;
            AcceptedCount++;
        }
        else if (epoch < last.Epoch)
        {
            decision = Decision.Stale;
            StaleCount++;
        }
        else
        {
            decision = Decision.Repeat;
            RepeatCount++;
        }

        return decision;
    }

    /// <summary>
    /// <see cref="Offer(TKey, long, long)"/> with the epoch and revision read from the record's
    /// <see cref="ProcessingHeaders.Epoch"/> and <see cref="ProcessingHeaders.Revision"/> headers. A record without
    /// both (absent or not 8 bytes) was not written by the runtime: there is no version to compare, dropping it could
    /// lose data, so it is always accepted, counted in <see cref="UnversionedCount"/>, and leaves the key's remembered
    /// version unchanged.
    /// </summary>
    public Decision Offer(TKey key, Headers? headers)
    {
        var epoch = ProcessingHeaders.ReadInt64(headers, ProcessingHeaders.Epoch);
        var revision = ProcessingHeaders.ReadInt64(headers, ProcessingHeaders.Revision);
        if (epoch is { } e && revision is { } r)
        {
            return Offer(key, e, r);
        }

        UnversionedCount++;
        AcceptedCount++;
        return Decision.Accept;
    }

    /// <summary>The last accepted version of <paramref name="key"/>.</summary>
    public bool TryGetLast(TKey key, out long epoch, out long revision)
    {
        var found = _last.TryGetValue(key, out var last);
        (epoch, revision) = last;
        return found;
    }
}
