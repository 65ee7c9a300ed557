using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests;

/// <summary>Keeps every generated event, in the order generated.</summary>
internal sealed class RecordingListener : IMarketListener
{
    public List<AggregateTrade> Trades { get; } = [];

    public List<DepthUpdate> DepthUpdates { get; } = [];

    public void OnTrade(in AggregateTrade trade) => Trades.Add(trade);

    public void OnDepthUpdate(DepthUpdate update) => DepthUpdates.Add(update);
}
