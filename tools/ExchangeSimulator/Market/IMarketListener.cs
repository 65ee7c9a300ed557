namespace ExchangeSimulator.Market;

/// <summary>Receives what <see cref="MarketSimulator.AdvanceTo(long, IMarketListener)"/> generates, in time order.</summary>
public interface IMarketListener
{
    void OnTrade(in AggregateTrade trade);

    void OnDepthUpdate(DepthUpdate update);
}
