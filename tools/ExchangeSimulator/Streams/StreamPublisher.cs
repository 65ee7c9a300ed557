using System.Buffers;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Streams;

/// <summary>
/// Turns a market's events into stream messages for every audience (region): <c>@aggTrade</c>, the
/// diff-depth variants (merged from the source's 100 ms diffs) and <c>@kline_&lt;interval&gt;</c> (computed
/// from the trades, pushed periodically and closed after <see cref="StreamPublisherOptions.KlineCloseDelay"/>).
/// Each payload is serialized at most once per time unit and only when someone listens; every audience gets
/// the same bytes in the same order, so two regions serve identical sequences.
/// <para>
/// Timers (depth merges, kline pushes and closes) fire at multiples of their period, before the first event
/// at or after the boundary and at <see cref="AdvanceTime"/>: what they publish depends only on the event
/// sequence, never on how the driver slices time. Runs on the thread that advances the market; not thread-safe.
/// </para>
/// </summary>
public sealed class StreamPublisher : IMarketListener, IMarketClockListener, IDisposable
{
    private readonly StreamDirectory _directory;
    private readonly IReadOnlyList<IStreamAudience> _audiences;
    private readonly Func<string, long, bool> _isWithheld;
    private readonly bool _computeKlines;
    private readonly Dictionary<string, int> _symbolIndex;
    private readonly BinanceStreamWriter _msWriter;
    private readonly BinanceStreamWriter _usWriter;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    private readonly int[] _mergedPeriodsMs;
    private readonly int[][] _variantsByMergedPeriod;
    private readonly int[] _directVariants;
    private readonly DepthAggregator[,] _aggregators;
    private readonly KlineSlot[,] _klines;
    private readonly long _klinePushPeriodUs;
    private readonly long _klineCloseDelayUs;

    private long _nextTimerUs = long.MaxValue;
    private long _timeUs;

    /// <param name="directory">Stream names and ids of the market.</param>
    /// <param name="flavor">Decides number formats and futures-only fields.</param>
    /// <param name="providesKlines">The source publishes klines itself (a recording): do not compute them.</param>
    /// <param name="audiences">The regions; each gets every message.</param>
    /// <param name="options">Kline and depth settings.</param>
    /// <param name="isWithheld">Trades (symbol, aggregate id) the exchange lost before publishing them (an injected history hole).</param>
    /// <param name="startUs">Simulated time before the first event; timers start after it.</param>
    public StreamPublisher(
        StreamDirectory directory,
        MarketFlavor flavor,
        bool providesKlines,
        IReadOnlyList<IStreamAudience> audiences,
        StreamPublisherOptions options,
        Func<string, long, bool> isWithheld,
        long startUs)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(audiences);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(isWithheld);
        options.Validate();
        _directory = directory;
        _audiences = audiences;
        _isWithheld = isWithheld;
        _computeKlines = !providesKlines;
        _msWriter = new BinanceStreamWriter(flavor, BinanceTimeUnit.Millisecond);
        _usWriter = new BinanceStreamWriter(flavor, BinanceTimeUnit.Microsecond);
        _symbolIndex = new Dictionary<string, int>(directory.Symbols.Count, StringComparer.Ordinal);
        for (var i = 0; i < directory.Symbols.Count; i++)
        {
            _symbolIndex.Add(directory.Symbols[i].Name, i);
        }

        var variants = directory.DepthVariants;
        var direct = new List<int>();
        var merged = new SortedDictionary<int, List<int>>();
        for (var v = 0; v < variants.Count; v++)
        {
            if (variants[v].PeriodMs <= options.SourceDepthPeriodMs)
            {
                direct.Add(v);
            }
            else
            {
                if (!merged.TryGetValue(variants[v].PeriodMs, out var list))
                {
                    merged[variants[v].PeriodMs] = list = [];
                }

                list.Add(v);
            }
        }

        _directVariants = [.. direct];
        _mergedPeriodsMs = [.. merged.Keys];
        _variantsByMergedPeriod = [.. merged.Values.Select(l => l.ToArray())];
        _aggregators = new DepthAggregator[directory.Symbols.Count, _mergedPeriodsMs.Length];
        for (var s = 0; s < directory.Symbols.Count; s++)
        {
            for (var p = 0; p < _mergedPeriodsMs.Length; p++)
            {
                _aggregators[s, p] = new DepthAggregator(directory.Symbols[s].Name);
            }
        }

        _klines = new KlineSlot[directory.Symbols.Count, directory.KlineIntervals.Count];
        _klinePushPeriodUs = options.KlinePushPeriodUs(flavor);
        _klineCloseDelayUs = (long)options.KlineCloseDelay.TotalMicroseconds;
        _timeUs = startUs;
        _nextTimerUs = NextTimerAfter(startUs);
    }

    /// <summary>Stream messages handed to subscribers (a message to two subscribers counts twice).</summary>
    public long DeliveredCount { get; private set; }

    /// <summary>Trades not published because they fall in an injected history hole.</summary>
    public long WithheldTradeCount { get; private set; }

    public void OnTrade(in AggregateTrade trade)
    {
        FireTimersUpTo(trade.EventTimeUs);
        if (!_symbolIndex.TryGetValue(trade.Symbol, out var symbol))
        {
            return;
        }

        // The trade happened even when the exchange lost it before publishing: its klines count it, as Binance's would.
        if (_computeKlines && !trade.IsMarkedInvalid)
        {
            AddToKlines(symbol, trade);
        }

        if (_isWithheld(trade.Symbol, trade.AggregateId))
        {
            WithheldTradeCount++;
            return;
        }

        Publish(_directory.AggTrade(symbol), new TradePayload(trade));
    }

    public void OnDepthUpdate(DepthUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        FireTimersUpTo(update.EventTimeUs);
        if (!_symbolIndex.TryGetValue(update.Symbol, out var symbol))
        {
            return;
        }

        foreach (var variant in _directVariants)
        {
            PublishDepth(_directory.Depth(symbol, variant), update);
        }

        for (var p = 0; p < _mergedPeriodsMs.Length; p++)
        {
            // Merging costs a sorted insert per level: only while someone listens. A client that subscribes
            // mid-period gets a first diff starting at its subscription, contiguous from there on.
            if (AnySubscribers(symbol, _variantsByMergedPeriod[p]))
            {
                _aggregators[symbol, p].Add(update);
            }
        }
    }

    private bool AnySubscribers(int symbol, int[] variants)
    {
        foreach (var variant in variants)
        {
            if (HasSubscribers(_directory.Depth(symbol, variant)))
            {
                return true;
            }
        }

        return false;
    }

    public void OnKline(Kline kline, long eventTimeUs)
    {
        ArgumentNullException.ThrowIfNull(kline);
        FireTimersUpTo(eventTimeUs);
        if (_symbolIndex.TryGetValue(kline.Symbol, out var symbol) && IntervalIndex(kline.Interval) is var interval and >= 0)
        {
            PublishKline(_directory.Kline(symbol, interval), kline, eventTimeUs);
        }
    }

    /// <summary>Simulated time has reached <paramref name="timeUs"/> (every event up to it has been produced): fire due timers.</summary>
    public void AdvanceTime(long timeUs)
    {
        FireTimersUpTo(timeUs);
        _timeUs = Math.Max(_timeUs, timeUs);
    }

    public void Dispose()
    {
        _msWriter.Dispose();
        _usWriter.Dispose();
    }

    private void FireTimersUpTo(long timeUs)
    {
        while (_nextTimerUs <= timeUs)
        {
            var due = _nextTimerUs;
            FireTimers(due);
            _timeUs = Math.Max(_timeUs, due);
            _nextTimerUs = NextTimerAfter(due);
        }
    }

    private void FireTimers(long dueUs)
    {
        for (var p = 0; p < _mergedPeriodsMs.Length; p++)
        {
            var periodUs = _mergedPeriodsMs[p] * SimulatedTime.MicrosecondsPerMillisecond;
            if (dueUs % periodUs != 0)
            {
                continue;
            }

            for (var s = 0; s < _directory.Symbols.Count; s++)
            {
                var aggregator = _aggregators[s, p];
                if (!aggregator.IsEmpty)
                {
                    var merged = aggregator.Take(dueUs);
                    foreach (var variant in _variantsByMergedPeriod[p])
                    {
                        PublishDepth(_directory.Depth(s, variant), merged);
                    }
                }
            }
        }

        if (!_computeKlines)
        {
            return;
        }

        var intervals = _directory.KlineIntervals;
        for (var k = 0; k < intervals.Count; k++)
        {
            var closes = (dueUs - _klineCloseDelayUs) % intervals[k].LengthUs == 0;
            var pushes = dueUs % _klinePushPeriodUs == 0;
            if (!closes && !pushes)
            {
                continue;
            }

            for (var s = 0; s < _directory.Symbols.Count; s++)
            {
                ref var slot = ref _klines[s, k];
                if (closes)
                {
                    var endedBy = dueUs - _klineCloseDelayUs;
                    if (slot.Closing is { } closing && closing.OpenTimeUs + intervals[k].LengthUs <= endedBy)
                    {
                        PublishKline(_directory.Kline(s, k), closing.ToKline(isClosed: true), dueUs);
                        slot.Closing = null;
                    }

                    if (slot.Current is { } ended && ended.OpenTimeUs + intervals[k].LengthUs <= endedBy)
                    {
                        PublishKline(_directory.Kline(s, k), ended.ToKline(isClosed: true), dueUs);
                        slot.Current = null;
                        slot.CurrentChanged = false;
                    }
                }

                if (pushes && slot.Current is { } current && slot.CurrentChanged)
                {
                    PublishKline(_directory.Kline(s, k), current.ToKline(isClosed: false), dueUs);
                    slot.CurrentChanged = false;
                }
            }
        }
    }

    private long NextTimerAfter(long timeUs)
    {
        var next = long.MaxValue;
        foreach (var periodMs in _mergedPeriodsMs)
        {
            next = Math.Min(next, NextMultiple(timeUs, periodMs * SimulatedTime.MicrosecondsPerMillisecond, 0));
        }

        if (_computeKlines && _directory.KlineIntervals.Count > 0)
        {
            next = Math.Min(next, NextMultiple(timeUs, _klinePushPeriodUs, 0));
            foreach (var interval in _directory.KlineIntervals)
            {
                next = Math.Min(next, NextMultiple(timeUs, interval.LengthUs, _klineCloseDelayUs));
            }
        }

        return next;
    }

    /// <summary>The smallest <c>k × period + offset</c> strictly after <paramref name="timeUs"/>.</summary>
    private static long NextMultiple(long timeUs, long periodUs, long offsetUs)
    {
        var shifted = timeUs - offsetUs;
        var next = ((shifted / periodUs) + 1) * periodUs;
        if (shifted < 0 && shifted % periodUs != 0)
        {
            next -= periodUs;
        }

        return next + offsetUs;
    }

    private void AddToKlines(int symbol, in AggregateTrade trade)
    {
        var spec = _directory.Symbols[symbol];
        var intervals = _directory.KlineIntervals;
        for (var k = 0; k < intervals.Count; k++)
        {
            ref var slot = ref _klines[symbol, k];
            var openUs = intervals[k].StartOf(trade.TradeTimeUs);
            if (slot.Current is { } current && current.OpenTimeUs != openUs)
            {
                if (current.OpenTimeUs > openUs)
                {
                    // Later than the close delay allowed for: the final kline went out without it.
                    if (slot.Closing is { } closing && closing.OpenTimeUs == openUs)
                    {
                        closing.Add(trade);
                    }

                    continue;
                }

                // The previous interval ended: it waits for its close timer (trades may still arrive for it).
                slot.Closing = current;
                slot.Current = null;
            }

            slot.Current ??= new KlineAccumulator(spec, intervals[k], openUs);
            slot.Current.Add(trade);
            slot.CurrentChanged = true;
        }
    }

    private int IntervalIndex(KlineInterval interval)
    {
        var intervals = _directory.KlineIntervals;
        for (var k = 0; k < intervals.Count; k++)
        {
            if (intervals[k] == interval)
            {
                return k;
            }
        }

        return -1;
    }

    private bool HasSubscribers(int stream)
    {
        foreach (var audience in _audiences)
        {
            if (audience.SubscribersOf(stream).Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private void PublishDepth(int stream, DepthUpdate update) => Publish(stream, new DepthPayload(update));

    private void PublishKline(int stream, Kline kline, long eventTimeUs) => Publish(stream, new KlinePayload(kline, eventTimeUs));

    /// <summary>
    /// Hands <paramref name="source"/> to every subscriber of <paramref name="stream"/> in every region, serialized at
    /// most once per time unit. Generic over a struct so the hot path neither boxes nor allocates a delegate.
    /// </summary>
    private void Publish<TPayload>(int stream, in TPayload source)
        where TPayload : struct, IPayloadSource
    {
        if (!HasSubscribers(stream))
        {
            return;
        }

        var ms = default(byte[]);
        var us = default(byte[]);
        foreach (var audience in _audiences)
        {
            foreach (var subscriber in audience.SubscribersOf(stream))
            {
                var payload = subscriber.Microseconds ? us ??= Serialize(_usWriter, source) : ms ??= Serialize(_msWriter, source);
                subscriber.Deliver(stream, payload);
                DeliveredCount++;
            }
        }
    }

    private byte[] Serialize<TPayload>(BinanceStreamWriter writer, in TPayload source)
        where TPayload : struct, IPayloadSource
    {
        _buffer.ResetWrittenCount();
        source.Write(writer, _buffer);
        return _buffer.WrittenSpan.ToArray();
    }

    private interface IPayloadSource
    {
        void Write(BinanceStreamWriter writer, ArrayBufferWriter<byte> output);
    }

    private readonly struct TradePayload(AggregateTrade trade) : IPayloadSource
    {
        public void Write(BinanceStreamWriter writer, ArrayBufferWriter<byte> output) => writer.WriteAggTrade(output, trade);
    }

    private readonly struct DepthPayload(DepthUpdate update) : IPayloadSource
    {
        public void Write(BinanceStreamWriter writer, ArrayBufferWriter<byte> output) => writer.WriteDepthUpdate(output, update);
    }

    private readonly struct KlinePayload(Kline kline, long eventTimeUs) : IPayloadSource
    {
        public void Write(BinanceStreamWriter writer, ArrayBufferWriter<byte> output) => writer.WriteKline(output, kline, eventTimeUs);
    }

    private struct KlineSlot
    {
        public KlineAccumulator? Current;
        public KlineAccumulator? Closing;
        public bool CurrentChanged;
    }
}
