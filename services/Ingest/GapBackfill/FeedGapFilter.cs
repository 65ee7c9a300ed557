using Ingest.Sequencing;
using Streaming.Contracts.Ops.V1;

namespace Ingest.GapBackfill;

/// <summary>
/// Decides which feed gaps one market's pods backfill: open aggregate-id holes of that market, reported by another
/// service (never by an ingest pod: its gaps are what REST could not supply, and asking again would loop), recent
/// enough to matter, and capped in size. Stateless apart from the clock; repeats are <see cref="RecentGapRequests"/>' job.
/// </summary>
internal sealed class FeedGapFilter
{
    private readonly Streaming.Contracts.Common.V1.Market _market;
    private readonly string[] _accepted;
    private readonly long _maxAgeUs;
    private readonly int _maxIds;
    private readonly TimeProvider _time;

    public FeedGapFilter(Streaming.Contracts.Common.V1.Market market, GapBackfillOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _market = market;
        _accepted = [.. options.AcceptedDetectors];
        _maxAgeUs = (long)options.MaxAge.TotalMicroseconds;
        _maxIds = options.MaxIdsPerGap;
        _time = time;
    }

    public GapDecision Evaluate(FeedGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        if (gap.Market != _market)
        {
            return GapDecision.Ignore(GapIgnoreReason.Market);
        }

        if (gap.Filled)
        {
            return GapDecision.Ignore(GapIgnoreReason.Filled);
        }

        if (gap.Kind != FeedGapKind.AggTradeIds)
        {
            return GapDecision.Ignore(GapIgnoreReason.Kind);
        }

        if (!IsAccepted(gap.DetectedBy))
        {
            return GapDecision.Ignore(GapIgnoreReason.Detector);
        }

        if (gap.MissingIds is not { } ids || ids.First < 0 || ids.Last < ids.First || string.IsNullOrWhiteSpace(gap.Symbol))
        {
            return GapDecision.Ignore(GapIgnoreReason.NoIds);
        }

        if (gap.DetectedAtUs < _time.NowMicroseconds() - _maxAgeUs)
        {
            return GapDecision.Ignore(GapIgnoreReason.TooOld);
        }

        var reported = new IdInterval(ids.First, ids.Last);
        var fetch = reported.Count > _maxIds ? new IdInterval(ids.First, ids.First + _maxIds - 1) : reported;
        return new GapDecision(GapIgnoreReason.None, gap.Symbol.Trim().ToUpperInvariant(), reported, fetch);
    }

    private bool IsAccepted(string detector)
    {
        if (detector.StartsWith(GapBackfillOptions.IngestDetectorPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (_accepted.Length == 0)
        {
            return true;
        }

        foreach (var prefix in _accepted)
        {
            if (detector.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
