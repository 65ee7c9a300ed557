using System.Collections.Concurrent;

namespace Streaming.Hosting.Metrics;

/// <summary>
/// The series of one instrument, one per distinct tag set. Finding the series of a measurement
/// takes no lock and, once a call site's tag order has been seen, allocates nothing.
/// </summary>
/// <remarks>
/// Two maps: <c>_byCanonicalTags</c> owns the series, keyed by sorted tags, so tags passed in a
/// different order still reach the same series; <c>_byObservedTags</c> is a cache keyed by the
/// tags as call sites pass them, searched with the measurement's span directly. The number of
/// series is capped: past <see cref="MaxSeries"/> new tag sets share one overflow series
/// labelled <c>otel_metric_overflow="true"</c>, as OpenTelemetry SDKs do, so that a tag with
/// unbounded values cannot exhaust memory.
/// </remarks>
internal sealed class SeriesTable
{
    public const int MaxSeries = 2000;

    private static readonly KeyValuePair<string, object?>[] OverflowTags = [new("otel.metric.overflow", true)];

    private readonly Func<KeyValuePair<string, object?>[], Series> _createSeries;
    private readonly ConcurrentDictionary<TagSequence, Series> _byCanonicalTags = new(TagSequenceComparer.Instance);
    private readonly ConcurrentDictionary<TagSequence, Series> _byObservedTags = new(TagSequenceComparer.Instance);
    private readonly ConcurrentDictionary<TagSequence, Series>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _observedLookup;
    private int _seriesCount;

    public SeriesTable(Func<KeyValuePair<string, object?>[], Series> createSeries)
    {
        _createSeries = createSeries;
        _observedLookup = _byObservedTags.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public IEnumerable<Series> All => _byCanonicalTags.Values;

    public Series Get(ReadOnlySpan<KeyValuePair<string, object?>> tags) =>
        _observedLookup.TryGetValue(tags, out var series) ? series : GetOrAdd(tags);

    /// <summary>Forgets every series (for observable instruments, whose series are rebuilt at each scrape).</summary>
    public void Clear()
    {
        _byObservedTags.Clear();
        _byCanonicalTags.Clear();
        Volatile.Write(ref _seriesCount, 0);
    }

    private Series GetOrAdd(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var canonical = TagSequence.Canonical(tags);
        if (!_byCanonicalTags.TryGetValue(canonical, out var series))
        {
            if (Interlocked.Increment(ref _seriesCount) > MaxSeries)
            {
                // Not cached under the observed tags either: that cache would grow without bound too.
                Interlocked.Decrement(ref _seriesCount);
                return _byCanonicalTags.GetOrAdd(TagSequence.Canonical(OverflowTags), _ => _createSeries(OverflowTags));
            }

            var created = _createSeries(canonical.Tags);
            series = _byCanonicalTags.GetOrAdd(canonical, created);
            if (!ReferenceEquals(series, created))
            {
                Interlocked.Decrement(ref _seriesCount);
            }
        }

        _byObservedTags.TryAdd(TagSequence.Copy(tags), series);
        return series;
    }
}
