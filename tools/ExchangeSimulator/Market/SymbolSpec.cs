namespace ExchangeSimulator.Market;

/// <summary>
/// One simulated USDT symbol: its trading rules and how its numbers are printed. Prices are multiples
/// of <see cref="TickSize"/>, quantities of <see cref="StepSize"/>; <see cref="TickSize"/> and
/// <see cref="StepSize"/> together have at most 8 decimals, so every p × q, and every quote volume, is
/// exact at Spot's 8 printed decimals.
/// </summary>
public sealed record SymbolSpec
{
    /// <summary>Upper-case symbol, e.g. <c>BTCUSDT</c>.</summary>
    public required string Name { get; init; }

    public required string BaseAsset { get; init; }

    public string QuoteAsset { get; init; } = "USDT";

    /// <summary>0 for the most traded symbol; activity falls with the rank (Zipf).</summary>
    public required int Rank { get; init; }

    public required decimal TickSize { get; init; }

    public required decimal StepSize { get; init; }

    /// <summary>Decimals of <see cref="TickSize"/>.</summary>
    public required int TickDecimals { get; init; }

    /// <summary>Decimals of <see cref="StepSize"/>.</summary>
    public required int StepDecimals { get; init; }

    /// <summary>Decimals a price is printed with: 8 on Spot, <see cref="TickDecimals"/> on USD-M futures.</summary>
    public required int PriceScale { get; init; }

    /// <summary>Decimals a quantity (and base volume) is printed with: 8 on Spot, <see cref="StepDecimals"/> on futures.</summary>
    public required int QuantityScale { get; init; }

    /// <summary>Decimals a quote volume is printed with: 8 on Spot, tick plus step decimals on futures (as Binance prints them).</summary>
    public required int QuoteVolumeScale { get; init; }

    /// <summary>The price the simulation starts from.</summary>
    public required decimal InitialPrice { get; init; }

    /// <summary>Lower-case name, as in stream names (<c>btcusdt@aggTrade</c>).</summary>
    public required string StreamName { get; init; }
}
