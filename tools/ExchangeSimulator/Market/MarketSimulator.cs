namespace ExchangeSimulator.Market;

/// <summary>
/// A deterministic market of many USDT symbols driven by simulated time: <see cref="AdvanceTo(long, IMarketListener)"/>
/// generates every trade and diff-depth event up to a time, in time order (ties by symbol rank). No wall
/// clock, no threads: the same options give the same events, byte for byte. Not thread-safe.
/// <para>
/// Each symbol draws from its own random generator and is scheduled by (time, rank) alone, so stopping one symbol
/// (<see cref="StopTrading"/>: a delisting, or a symbol not listed yet) changes nothing for the others: symbols that
/// trade the whole time produce the same events, byte for byte, whatever happens to the rest.
/// </para>
/// </summary>
public sealed class MarketSimulator : IMarketSource, ISymbolTradingControl
{
    private const long Trading = long.MinValue;

    private readonly SymbolSimulation[] _symbols;
    private readonly Dictionary<string, SymbolSimulation> _symbolsByName;
    private readonly PriorityQueue<SymbolSimulation, (long TimeUs, int Rank)> _schedule = new();

    /// <summary>Per rank: when the symbol stopped trading, or <see cref="Trading"/>.</summary>
    private readonly long[] _stoppedAtUs;

    public MarketSimulator(MarketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        StartUs = SimulatedTime.ToMicroseconds(options.Start);
        NowUs = StartUs;
        Symbols = SymbolUniverse.Create(options.SymbolCount, options.Flavor, options.Seed);

        var weights = Symbols.Select(s => Math.Pow(s.Rank + 1, -options.ZipfExponent)).ToArray();
        var totalWeight = weights.Sum();
        _symbols = [.. Symbols.Select(s => new SymbolSimulation(s, options, weights[s.Rank] / totalWeight, StartUs))];
        _symbolsByName = _symbols.ToDictionary(s => s.Spec.Name, StringComparer.Ordinal);
        _stoppedAtUs = new long[_symbols.Length];
        Array.Fill(_stoppedAtUs, Trading);
        foreach (var symbol in _symbols)
        {
            _schedule.Enqueue(symbol, (symbol.NextEventUs, symbol.Spec.Rank));
        }
    }

    public MarketOptions Options { get; }

    public MarketFlavor Flavor => Options.Flavor;

    /// <summary>Always null: the market never ends.</summary>
    public long? EndUs => null;

    /// <summary>Always false: klines are computed from the trades.</summary>
    public bool ProvidesKlines => false;

    /// <summary>Most traded first.</summary>
    public IReadOnlyList<SymbolSpec> Symbols { get; }

    /// <summary>Simulated microseconds since the epoch at which the market opened.</summary>
    public long StartUs { get; }

    /// <summary>Simulated time reached: everything at or before it has been generated.</summary>
    public long NowUs { get; private set; }

    /// <summary>Generates every event with a time at or before <paramref name="untilUs"/> into <paramref name="listener"/>.</summary>
    public void AdvanceTo(long untilUs, IMarketListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        while (_schedule.TryPeek(out var symbol, out var due) && due.TimeUs <= untilUs)
        {
            symbol.Step(listener);
            _schedule.DequeueEnqueue(symbol, (symbol.NextEventUs, symbol.Spec.Rank));
        }

        NowUs = Math.Max(NowUs, untilUs);
    }

    public void AdvanceTo(DateTimeOffset until, IMarketListener listener) => AdvanceTo(SimulatedTime.ToMicroseconds(until), listener);

    /// <summary>Whether <paramref name="symbol"/> generates events (it has not been stopped, or has been resumed).</summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    public bool IsTrading(string symbol) => _stoppedAtUs[_symbolsByName[symbol].Spec.Rank] == Trading;

    /// <inheritdoc/>
    public void StopTrading(string symbol)
    {
        var simulation = _symbolsByName[symbol];
        var rank = simulation.Spec.Rank;
        if (_stoppedAtUs[rank] != Trading)
        {
            return;
        }

        // Everything at or before NowUs has been generated: what is pending lies after it and waits for ResumeTrading.
        _schedule.Remove(simulation, out _, out _);
        _stoppedAtUs[rank] = NowUs;
    }

    /// <inheritdoc/>
    public void ResumeTrading(string symbol)
    {
        var simulation = _symbolsByName[symbol];
        var rank = simulation.Spec.Rank;
        if (_stoppedAtUs[rank] == Trading)
        {
            return;
        }

        simulation.Postpone(NowUs - _stoppedAtUs[rank]);
        _stoppedAtUs[rank] = Trading;
        _schedule.Enqueue(simulation, (simulation.NextEventUs, rank));
    }

    /// <summary>The current book of <paramref name="symbol"/>, best <paramref name="limit"/> levels per side (REST depth).</summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    public OrderBookSnapshot GetOrderBook(string symbol, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return _symbolsByName[symbol].Snapshot(limit, NowUs);
    }

    /// <summary>Always null: klines are computed from the trades.</summary>
    public IReadOnlyList<Kline>? GetRecordedKlines(string symbol, KlineInterval interval) => null;
}
