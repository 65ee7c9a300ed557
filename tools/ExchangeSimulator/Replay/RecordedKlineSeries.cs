using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>
/// The recorded klines of one symbol and interval as REST serves them at a moment: for each open time, the last
/// version published by then. Versions are given in time order; the series moves forward lazily as it is asked
/// at later times (simulated time never goes back).
/// </summary>
internal sealed class RecordedKlineSeries
{
    private readonly (long FromUs, Kline Kline)[] _versions;
    private readonly List<Kline> _current = [];
    private readonly Dictionary<long, int> _indexByOpenTime = [];
    private int _next;

    /// <param name="versions">Each kline version and when it becomes visible, ordered by that time (ties in replay order).</param>
    public RecordedKlineSeries(IEnumerable<(long FromUs, Kline Kline)> versions)
    {
        _versions = [.. versions];
    }

    /// <summary>Klines opened at or before <paramref name="nowUs"/>, ascending open time, as a copy.</summary>
    public IReadOnlyList<Kline> At(long nowUs)
    {
        while (_next < _versions.Length && _versions[_next].FromUs <= nowUs)
        {
            Publish(_versions[_next++].Kline);
        }

        return [.. _current];
    }

    private void Publish(Kline kline)
    {
        if (_indexByOpenTime.TryGetValue(kline.OpenTimeUs, out var index))
        {
            _current[index] = kline;
            return;
        }

        if (_current.Count == 0 || _current[^1].OpenTimeUs < kline.OpenTimeUs)
        {
            _indexByOpenTime[kline.OpenTimeUs] = _current.Count;
            _current.Add(kline);
            return;
        }

        // A kline older than the newest (recordings merged out of order): insert it and renumber.
        var position = _current.FindIndex(k => k.OpenTimeUs > kline.OpenTimeUs);
        _current.Insert(position, kline);
        _indexByOpenTime.Clear();
        for (var i = 0; i < _current.Count; i++)
        {
            _indexByOpenTime[_current[i].OpenTimeUs] = i;
        }
    }
}
