namespace ExchangeSimulator.Market;

/// <summary>What market to simulate. Equal options give byte-identical output.</summary>
public sealed record MarketOptions
{
    /// <summary>Fixes every random choice; there is no default so that no run is accidentally unseeded.</summary>
    public required int Seed { get; init; }

    public MarketFlavor Flavor { get; init; } = MarketFlavor.Spot;

    /// <summary>Number of USDT symbols: BTCUSDT, ETHUSDT and other large caps first, then synthetic ones.</summary>
    public int SymbolCount { get; init; } = 300;

    /// <summary>Simulated time at which the market starts; nothing is generated before it.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Aggregate trades per second across all symbols in the normal regime (bursts and quiet periods scale it).</summary>
    public double TradesPerSecond { get; init; } = 1000;

    /// <summary>
    /// Zipf exponent of trade rates by rank (rate ∝ 1 / (rank + 1)^s). Trade size also falls with rank,
    /// so quote volume ∝ 1 / (rank + 1)^(s + 0.5): with 1.1, the top 5 of 300 carry about 70 % of it.
    /// </summary>
    public double ZipfExponent { get; init; } = 1.1;

    /// <summary>Order additions and cancellations per trade; each is one book update id.</summary>
    public double OrderBookChangesPerTrade { get; init; } = 2;

    /// <summary>Levels kept per side; the farthest level is removed beyond it.</summary>
    public int MaxLevelsPerSide { get; init; } = 100;

    /// <summary>Depth events are published on multiples of this period (Binance <c>@depth@100ms</c>).</summary>
    public int DepthUpdatePeriodMs { get; init; } = 100;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(SymbolCount, 1, nameof(SymbolCount));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TradesPerSecond, nameof(TradesPerSecond));
        ArgumentOutOfRangeException.ThrowIfNegative(ZipfExponent, nameof(ZipfExponent));
        ArgumentOutOfRangeException.ThrowIfNegative(OrderBookChangesPerTrade, nameof(OrderBookChangesPerTrade));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLevelsPerSide, 5, nameof(MaxLevelsPerSide));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(DepthUpdatePeriodMs, nameof(DepthUpdatePeriodMs));
        ArgumentOutOfRangeException.ThrowIfLessThan(Start, DateTimeOffset.UnixEpoch, nameof(Start));
    }
}
