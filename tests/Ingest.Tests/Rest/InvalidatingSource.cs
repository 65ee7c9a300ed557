using ExchangeSimulator.Market;

namespace Ingest.Tests.Rest;

/// <summary>
/// The seeded market, except that the trades of one symbol whose id <paramref name="every"/> divides are rows Binance
/// marked invalid (p = q = 0, f = l = -1), as its 2022 audit left in the history: the simulator never makes them itself.
/// </summary>
internal sealed class InvalidatingSource(MarketSimulator inner, string symbol, long every) : IMarketSource
{
    public MarketFlavor Flavor => inner.Flavor;

    public IReadOnlyList<SymbolSpec> Symbols => inner.Symbols;

    public long StartUs => inner.StartUs;

    public long NowUs => inner.NowUs;

    public long? EndUs => inner.EndUs;

    public bool ProvidesKlines => inner.ProvidesKlines;

    public void AdvanceTo(long untilUs, IMarketListener listener) => inner.AdvanceTo(untilUs, new Listener(listener, symbol, every));

    public OrderBookSnapshot GetOrderBook(string symbol, int limit) => inner.GetOrderBook(symbol, limit);

    public IReadOnlyList<Kline>? GetRecordedKlines(string symbol, KlineInterval interval) => inner.GetRecordedKlines(symbol, interval);

    private sealed class Listener(IMarketListener inner, string symbol, long every) : IMarketListener
    {
        public void OnTrade(in AggregateTrade trade)
        {
            if (trade.Symbol == symbol && trade.AggregateId % every == 0)
            {
                inner.OnTrade(trade with { Price = 0m, Quantity = 0m, FirstTradeId = -1, LastTradeId = -1 });
                return;
            }

            inner.OnTrade(trade);
        }

        public void OnDepthUpdate(DepthUpdate update) => inner.OnDepthUpdate(update);

        public void OnKline(Kline kline, long eventTimeUs) => inner.OnKline(kline, eventTimeUs);
    }
}
