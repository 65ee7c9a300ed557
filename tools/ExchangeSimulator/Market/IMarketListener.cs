namespace ExchangeSimulator.Market;

/// <summary>Receives what an <see cref="IMarketSource"/> produces, in time order.</summary>
public interface IMarketListener
{
    void OnTrade(in AggregateTrade trade);

    void OnDepthUpdate(DepthUpdate update);

    /// <summary>A kline event published by the source itself (only when <see cref="IMarketSource.ProvidesKlines"/>).</summary>
    /// <param name="kline">The kline as of <paramref name="eventTimeUs"/>.</param>
    /// <param name="eventTimeUs">The event's <c>E</c>.</param>
    void OnKline(Kline kline, long eventTimeUs)
    {
    }
}
