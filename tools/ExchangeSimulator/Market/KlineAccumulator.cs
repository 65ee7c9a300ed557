using Streaming.Contracts;

namespace ExchangeSimulator.Market;

/// <summary>Running figures of one kline, added to trade by trade in trade order; sums are exact.</summary>
internal sealed class KlineAccumulator
{
    private readonly SymbolSpec _spec;
    private decimal _open;
    private decimal _high;
    private decimal _low;
    private decimal _close;
    private decimal _baseVolume;
    private decimal _quoteVolume;
    private decimal _takerBuyBase;
    private decimal _takerBuyQuote;

    public KlineAccumulator(SymbolSpec spec, KlineInterval interval, long openTimeUs)
    {
        _spec = spec;
        Interval = interval;
        OpenTimeUs = openTimeUs;
        _baseVolume = _takerBuyBase = ScaledDecimal.Zero(spec.QuantityScale);
        _quoteVolume = _takerBuyQuote = ScaledDecimal.Zero(spec.QuoteVolumeScale);
    }

    public KlineInterval Interval { get; }

    public long OpenTimeUs { get; }

    public long TradeCount { get; private set; }

    public long AggregateTradeCount { get; private set; }

    public long FirstAggregateId { get; private set; }

    public long LastAggregateId { get; private set; }

    public long FirstTradeId { get; private set; }

    public long LastTradeId { get; private set; }

    public decimal BaseVolume => _baseVolume;

    public decimal QuoteVolume => _quoteVolume;

    public decimal TakerBuyBaseVolume => _takerBuyBase;

    public decimal TakerBuyQuoteVolume => _takerBuyQuote;

    public void Add(in AggregateTrade trade)
    {
        if (AggregateTradeCount == 0)
        {
            _open = _high = _low = trade.Price;
            FirstAggregateId = trade.AggregateId;
            FirstTradeId = trade.FirstTradeId;
        }

        _high = Math.Max(_high, trade.Price);
        _low = Math.Min(_low, trade.Price);
        _close = trade.Price;
        LastAggregateId = trade.AggregateId;
        LastTradeId = trade.LastTradeId;
        AggregateTradeCount++;
        TradeCount += trade.TradeCount;

        // p × q has the printed decimals of both; the symbol's tick and step keep it exact at the quote scale,
        // and summing at that scale keeps large windows far from decimal's 28 digits.
        var quote = ScaledDecimal.WithScale(trade.QuoteQuantity, _spec.QuoteVolumeScale);
        _baseVolume = ExactDecimal.Add(_baseVolume, trade.Quantity);
        _quoteVolume = ExactDecimal.Add(_quoteVolume, quote);
        if (!trade.BuyerIsMaker)
        {
            _takerBuyBase = ExactDecimal.Add(_takerBuyBase, trade.Quantity);
            _takerBuyQuote = ExactDecimal.Add(_takerBuyQuote, quote);
        }
    }

    public Kline ToKline(bool isClosed) => new()
    {
        Symbol = _spec.Name,
        Interval = Interval,
        OpenTimeUs = OpenTimeUs,
        FirstTradeId = FirstTradeId,
        LastTradeId = LastTradeId,
        Open = _open,
        High = _high,
        Low = _low,
        Close = _close,
        BaseVolume = _baseVolume,
        QuoteVolume = _quoteVolume,
        TradeCount = TradeCount,
        TakerBuyBaseVolume = _takerBuyBase,
        TakerBuyQuoteVolume = _takerBuyQuote,
        IsClosed = isClosed,
    };
}
