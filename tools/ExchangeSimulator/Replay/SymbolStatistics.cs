using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>
/// What a recording reveals of one symbol's trading rules, gathered over its events and snapshots in replay order,
/// to describe it as a <see cref="SymbolSpec"/>: Binance's exchangeInfo is not part of the recordings.
/// </summary>
internal sealed class SymbolStatistics(string name)
{
    public string Name { get; } = name;

    public long TradeCount { get; private set; }

    /// <summary>Most decimals of a price once trailing zeros are stripped: the tick is 10^-this.</summary>
    public int PriceDecimals { get; private set; }

    /// <summary>Most decimals of a quantity once trailing zeros are stripped: the step is 10^-this.</summary>
    public int QuantityDecimals { get; private set; }

    /// <summary>Most decimals a price is printed with (8 on Spot).</summary>
    public int PricePrintedScale { get; private set; }

    /// <summary>Most decimals a quantity is printed with (8 on Spot).</summary>
    public int QuantityPrintedScale { get; private set; }

    public decimal? FirstTradePrice { get; private set; }

    public decimal? SnapshotMidPrice { get; set; }

    public decimal? FirstKlineOpen { get; private set; }

    public decimal? FirstDepthPrice { get; private set; }

    /// <summary>Counts every trade; a row Binance marked invalid (p = 0, f = l = -1) is no price to start from.</summary>
    public void AddTrade(in AggregateTrade trade)
    {
        TradeCount++;
        if (trade.Price != 0m)
        {
            FirstTradePrice ??= trade.Price;
        }

        AddPrice(trade.Price);
        AddQuantity(trade.Quantity);
    }

    public void AddDepth(IEnumerable<PriceLevel> levels)
    {
        foreach (var level in levels)
        {
            FirstDepthPrice ??= level.Price;
            AddPrice(level.Price);
            AddQuantity(level.Quantity);
        }
    }

    public void AddKline(Kline kline)
    {
        FirstKlineOpen ??= kline.Open;
        AddPrice(kline.Open);
        AddPrice(kline.High);
        AddPrice(kline.Low);
        AddPrice(kline.Close);
        AddQuantity(kline.BaseVolume);
        AddQuantity(kline.TakerBuyBaseVolume);
    }

    public void AddPrice(decimal price)
    {
        PriceDecimals = Math.Max(PriceDecimals, SignificantDecimals(price));
        PricePrintedScale = Math.Max(PricePrintedScale, price.Scale);
    }

    public void AddQuantity(decimal quantity)
    {
        QuantityDecimals = Math.Max(QuantityDecimals, SignificantDecimals(quantity));
        QuantityPrintedScale = Math.Max(QuantityPrintedScale, quantity.Scale);
    }

    /// <summary>
    /// Spot prints 8 decimals of quote volume, but real symbols can have tick and step with more than 8 decimals
    /// together (XMRBTC: 0.000001 × 0.001): the scale then grows so that every p × q, and every window total the
    /// ground truth sums, stays exact rather than throwing or rounding.
    /// </summary>
    public SymbolSpec ToSpec(int rank, MarketFlavor flavor)
    {
        var (baseAsset, quoteAsset) = QuoteAssets.Split(Name);
        var productDecimals = PriceDecimals + QuantityDecimals;
        return new SymbolSpec
        {
            Name = Name,
            StreamName = Name.ToLowerInvariant(),
            BaseAsset = baseAsset,
            QuoteAsset = quoteAsset,
            Rank = rank,
            TickSize = PowerOfTen(PriceDecimals),
            StepSize = PowerOfTen(QuantityDecimals),
            TickDecimals = PriceDecimals,
            StepDecimals = QuantityDecimals,
            PriceScale = PricePrintedScale,
            QuantityScale = QuantityPrintedScale,
            QuoteVolumeScale = flavor == MarketFlavor.Spot ? Math.Max(8, productDecimals) : productDecimals,
            InitialPrice = FirstTradePrice ?? SnapshotMidPrice ?? FirstKlineOpen ?? FirstDepthPrice ?? 0m,
        };
    }

    /// <summary>Decimals left once trailing zeros are stripped ("0.01000000" has 2).</summary>
    internal static int SignificantDecimals(decimal value)
    {
        var decimals = value.Scale;
        while (decimals > 0 && decimal.Round(value, decimals - 1) == value)
        {
            decimals--;
        }

        return decimals;
    }

    /// <summary>10^-<paramref name="decimals"/>, printed with exactly that many decimals.</summary>
    private static decimal PowerOfTen(int decimals) => new(1, 0, 0, isNegative: false, (byte)decimals);
}
