using Confluent.Kafka;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Raw.V1;
using Streaming.Kafka;
using TakerVolume.Benchmarks.Input;
using TakerVolume.Benchmarks.Kafka;
using TakerVolume.Parsing;

namespace TakerVolume.Benchmarks.Latency;

/// <summary>What an output record says it contains, for one kind of output.</summary>
internal enum OutputKind
{
    /// <summary>The pass-through's copy of a raw event: that one trade.</summary>
    Forwarded,

    /// <summary>A tumbling window value: the symbol's trades of that window with ids up to its last aggregate id.</summary>
    Tumbling,

    /// <summary>A trailing window value: the symbol's trades with times up to its end (the task's stream time).</summary>
    Sliding,
}

/// <summary>
/// A read_committed consumer of a pipeline's outputs (every partition assigned from the start, 10 ms fetch wait) on a
/// thread of its own. For each output record it takes the wall clock at receipt and marks as visible every produced
/// trade the record contains that was not visible yet; a trade's latency is that instant minus its production instant
/// (its trade time T, to the microsecond). Trades produced outside [measureFromUs, measureToUs) are matched but not kept.
/// </summary>
internal sealed class VisibilityObserver : IDisposable
{
    private readonly IConsumer<byte[]?, byte[]?> _consumer;
    private readonly Dictionary<string, OutputKind> _kinds;
    private readonly ProducedTrades _log;
    private readonly Dictionary<string, int> _symbols;
    private readonly Dictionary<OutputKind, Pending> _pending = [];
    private readonly Dictionary<OutputKind, List<double>> _latencies = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Task _loop = Task.CompletedTask;
    private int _pulled;
    private long _measureFromUs = long.MaxValue;
    private long _measureToUs = long.MaxValue;

    public VisibilityObserver(BenchKafka kafka, IReadOnlyDictionary<string, OutputKind> topics, ProducedTrades log, SymbolUniverse universe)
    {
        ArgumentNullException.ThrowIfNull(kafka);
        _kinds = new Dictionary<string, OutputKind>(topics, StringComparer.Ordinal);
        _log = log;
        _symbols = universe.Symbols.Select((s, i) => (s.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        foreach (var kind in _kinds.Values.Distinct())
        {
            _pending[kind] = new Pending(kind);
            _latencies[kind] = [];
        }

        var group = "observer-" + Guid.NewGuid().ToString("N")[..8];
        var config = KafkaClientConfigs.Consumer(kafka.Options, group, group);
        config.IsolationLevel = IsolationLevel.ReadCommitted;
        config.FetchWaitMaxMs = 10;
        _consumer = new ConsumerBuilder<byte[]?, byte[]?>(config).Build();
        _consumer.Assign(_kinds.Keys.SelectMany(topic => Enumerable.Range(0, kafka.Partitions(topic)).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning))));
    }

    /// <summary>Latencies (ms) of the measured trades, by output kind.</summary>
    public IReadOnlyDictionary<OutputKind, List<double>> Latencies => _latencies;

    public void Start() =>
        _loop = Task.Factory.StartNew(Loop, _stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Keeps the latencies of trades produced from <paramref name="fromUs"/> to <paramref name="toUs"/>.</summary>
    public void Measure(long fromUs, long toUs)
    {
        Volatile.Write(ref _measureFromUs, fromUs);
        Volatile.Write(ref _measureToUs, toUs);
    }

    /// <summary>Measured trades not yet visible in <paramref name="kind"/>'s output.</summary>
    public int Unseen(OutputKind kind)
    {
        lock (_gate)
        {
            return _pending[kind].MeasuredUnseen(Volatile.Read(ref _measureFromUs), Volatile.Read(ref _measureToUs));
        }
    }

    /// <summary>Waits until every measured trade is visible in every output, or <paramref name="timeout"/> passed.</summary>
    public async Task WaitAllSeenAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < timeout && _pending.Keys.Any(k => Unseen(k) > 0))
        {
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
#pragma warning disable VSTHRD003 // The observer's own loop, started by Start.
            await _loop.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    public void Dispose()
    {
        _consumer.Dispose();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.IsCancellationRequested)
        {
            var result = _consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (result is null)
            {
                continue;
            }

            var visibleUs = WallClock.NowUs();
            lock (_gate)
            {
                Pull();
                var kind = _kinds[result.Topic];
                Observe(kind, result.Message.Value!, visibleUs);
            }
        }
    }

    /// <summary>Queues the trades produced since the last pull for every output kind.</summary>
    private void Pull()
    {
        var count = _log.Count;
        for (; _pulled < count; _pulled++)
        {
            var trade = _log[_pulled];
            foreach (var pending in _pending.Values)
            {
                pending.Add(trade);
            }
        }
    }

    private void Observe(OutputKind kind, byte[] value, long visibleUs)
    {
        var pending = _pending[kind];
        int symbol;
        switch (kind)
        {
            case OutputKind.Forwarded:
            {
                var raw = RawEvent.Parser.ParseFrom(value);
                if (AggTradeParser.TryParse(raw.Payload.Span, raw.Symbol, out var trade, out _) != PayloadError.None || !_symbols.TryGetValue(raw.Symbol, out symbol))
                {
                    return;
                }

                pending.Reveal(symbol, 0, trade.AggregateId, long.MaxValue, visibleUs, this);
                break;
            }

            case OutputKind.Tumbling:
            {
                var window = TakerVolumeWindow.Parser.ParseFrom(value);
                if (_symbols.TryGetValue(window.Symbol, out symbol))
                {
                    pending.Reveal(symbol, window.WindowStartMs, window.LastAggregateTradeId, long.MaxValue, visibleUs, this);
                }

                break;
            }

            case OutputKind.Sliding:
            {
                var sliding = SlidingTakerVolume.Parser.ParseFrom(value);
                if (_symbols.TryGetValue(sliding.Symbol, out symbol))
                {
                    pending.Reveal(symbol, 0, long.MaxValue, sliding.WindowEndMs, visibleUs, this);
                }

                break;
            }
        }
    }

    private void Record(OutputKind kind, in ProducedTrade trade, long visibleUs)
    {
        if (trade.ProducedUs >= Volatile.Read(ref _measureFromUs) && trade.ProducedUs < Volatile.Read(ref _measureToUs))
        {
            _latencies[kind].Add((visibleUs - trade.ProducedUs) / 1000.0);
        }
    }

    /// <summary>
    /// One output kind's trades not yet visible, per symbol (and per window, for tumbling values) in production order,
    /// so ids and times only grow along a queue. A record reveals its queue's head while the head is contained: an id up
    /// to the record's, a time up to its end (trailing values: the task's stream time, which every earlier record of the
    /// partition has reached; a trade of the same millisecond still unprocessed would be counted a little early).
    /// </summary>
    private sealed class Pending(OutputKind kind)
    {
        private readonly Dictionary<(int Symbol, long Window), Queue<ProducedTrade>> _queues = [];

        public void Add(in ProducedTrade trade)
        {
            var key = (trade.Symbol, Window(trade.TimeMs));
            if (!_queues.TryGetValue(key, out var queue))
            {
                _queues[key] = queue = new Queue<ProducedTrade>();
            }

            queue.Enqueue(trade);
        }

        public void Reveal(int symbol, long windowStartMs, long maxAggregateId, long maxTimeMs, long visibleUs, VisibilityObserver observer)
        {
            if (!_queues.TryGetValue((symbol, kind == OutputKind.Tumbling ? windowStartMs : 0), out var queue))
            {
                return;
            }

            while (queue.TryPeek(out var head) && head.AggregateId <= maxAggregateId && head.TimeMs <= maxTimeMs)
            {
                queue.Dequeue();
                observer.Record(kind, head, visibleUs);
            }
        }

        public int MeasuredUnseen(long fromUs, long toUs) => _queues.Values.Sum(q => q.Count(t => t.ProducedUs >= fromUs && t.ProducedUs < toUs));

        private long Window(long timeMs) => kind == OutputKind.Tumbling ? timeMs - (timeMs % ExpectedWindows.WindowMs) : 0;
    }
}
