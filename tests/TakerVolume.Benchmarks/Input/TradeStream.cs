namespace TakerVolume.Benchmarks.Input;

/// <summary>One generated aggregate trade (ids consecutive per symbol, prices and quantities at the symbol's scales).</summary>
internal readonly record struct GeneratedTrade(int Symbol, long AggregateId, decimal Price, decimal Quantity, long FirstTradeId, long LastTradeId, long TimeUs, bool BuyerIsMaker);

/// <summary>
/// The trades of a <see cref="SymbolUniverse"/> at a total rate: every symbol replays the recorded BTCUSDT shapes
/// (<see cref="RecordedTrades"/>) from a random instant of the recording, its gaps scaled to its share of the rate, its price
/// and quantity scaled to its price level and rounded to its tick and step. <see cref="Next"/> merges the symbols in
/// time order (exchange time); <see cref="NextAt"/> picks a symbol by share for a trade at a given time (live feeds).
/// Deterministic per seed.
/// </summary>
internal sealed class TradeStream
{
    private readonly SymbolUniverse _universe;
    private readonly RecordedTrades _recording;
    private readonly SymbolState[] _states;
    private readonly double[] _cumulativeShares;
    private readonly PriorityQueue<int, long> _byTime = new();
    private readonly Random _random;

    public TradeStream(SymbolUniverse universe, RecordedTrades recording, double tradesPerSecond, long startTimeUs, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tradesPerSecond);
        _universe = universe;
        _recording = recording;
        _random = new Random(seed);
        var symbols = universe.Symbols;
        _states = new SymbolState[symbols.Count];
        _cumulativeShares = new double[symbols.Count];
        var cumulative = 0.0;
        for (var i = 0; i < symbols.Count; i++)
        {
            var spec = symbols[i];
            var rate = spec.Share * tradesPerSecond;
            var (cursor, waitUs) = recording.StartAt(_random.NextDouble());
            var state = new SymbolState
            {
                GapScale = recording.RatePerSecond / rate,
                Cursor = cursor,
                Shapes = recording.Shapes.Count,
                NextAggregateId = 1_000_000_000L + (i * 10_000_000L),
                NextTradeId = 3_000_000_000L + (i * 30_000_000L),
                QuantityScale = recording.FirstPrice / spec.Price,
                TickUnit = 1m / Pow10(spec.PriceDecimals),
                StepUnit = 1m / Pow10(spec.QuantityDecimals),
            };
            // Each symbol joins its replay at a random instant, so the market's rate holds from its first second.
            state.TimeUs = startTimeUs + (long)(waitUs * state.GapScale);
            _states[i] = state;
            _byTime.Enqueue(i, state.TimeUs);
            cumulative += spec.Share;
            _cumulativeShares[i] = cumulative;
        }
    }

    public SymbolUniverse Universe => _universe;

    /// <summary>Exchange time (µs) of the trade <see cref="Next"/> returns next.</summary>
    public long NextTimeUs => _byTime.TryPeek(out _, out var time) ? time : long.MaxValue;

    /// <summary>The next trade of the market in exchange-time order.</summary>
    public GeneratedTrade Next()
    {
        var symbol = _byTime.Dequeue();
        var state = _states[symbol];
        var trade = Make(symbol, state.TimeUs);
        state.TimeUs += Math.Max(0, (long)(_recording.Shapes[state.Cursor].GapUs * state.GapScale));
        Advance(state);
        _byTime.Enqueue(symbol, state.TimeUs);
        return trade;
    }

    /// <summary>A trade at <paramref name="timeUs"/> of a symbol drawn by share (for a feed paced by the wall clock).</summary>
    public GeneratedTrade NextAt(long timeUs)
    {
        var index = Array.BinarySearch(_cumulativeShares, _random.NextDouble() * _cumulativeShares[^1]);
        var symbol = Math.Min(index < 0 ? ~index : index, _states.Length - 1);
        var trade = Make(symbol, timeUs);
        Advance(_states[symbol]);
        return trade;
    }

    private static decimal Pow10(int decimals)
    {
        var value = 1m;
        for (var i = 0; i < decimals; i++)
        {
            value *= 10;
        }

        return value;
    }

    private static void Advance(SymbolState state)
    {
        state.Cursor++;
        if (state.Cursor == state.Shapes)
        {
            state.Cursor = 0;
        }
    }

    private GeneratedTrade Make(int symbol, long timeUs)
    {
        var spec = _universe.Symbols[symbol];
        var state = _states[symbol];
        var shape = _recording.Shapes[state.Cursor];
        var price = Math.Max(state.TickUnit, Math.Round(spec.Price * (decimal)shape.PriceRatio, spec.PriceDecimals, MidpointRounding.ToEven));
        var quantity = Math.Max(state.StepUnit, Math.Round(shape.Quantity * state.QuantityScale, spec.QuantityDecimals, MidpointRounding.ToEven));
        var first = state.NextTradeId;
        state.NextTradeId += shape.Fills;
        return new GeneratedTrade(symbol, state.NextAggregateId++, price, quantity, first, first + shape.Fills - 1, timeUs, shape.BuyerIsMaker);
    }

    private sealed class SymbolState
    {
        public double GapScale { get; init; }

        public int Cursor { get; set; }

        public int Shapes { get; init; }

        public long NextAggregateId { get; set; }

        public long NextTradeId { get; set; }

        public long TimeUs { get; set; }

        public decimal QuantityScale { get; init; }

        public decimal TickUnit { get; init; }

        public decimal StepUnit { get; init; }
    }
}
