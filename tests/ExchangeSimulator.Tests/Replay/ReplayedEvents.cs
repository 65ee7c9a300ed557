using System.Buffers;
using System.Text;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>Keeps every event a replay emits, klines included, in emission order.</summary>
internal sealed class ReplayedEvents : IMarketListener
{
    public List<ReplayedEvent> All { get; } = [];

    public IEnumerable<AggregateTrade> Trades => All.Where(e => e.Trade is not null).Select(e => e.Trade!.Value);

    public IEnumerable<DepthUpdate> DepthUpdates => All.Where(e => e.Depth is not null).Select(e => e.Depth!);

    public IEnumerable<(Kline Kline, long EventTimeUs)> Klines => All.Where(e => e.Kline is not null).Select(e => (e.Kline!, e.TimeUs));

    public void OnTrade(in AggregateTrade trade) => All.Add(new ReplayedEvent(trade.EventTimeUs, trade, null, null));

    public void OnDepthUpdate(DepthUpdate update) => All.Add(new ReplayedEvent(update.EventTimeUs, null, update, null));

    public void OnKline(Kline kline, long eventTimeUs) => All.Add(new ReplayedEvent(eventTimeUs, null, null, kline));

    /// <summary>The event as Binance's raw stream payload (no combined-stream wrapper).</summary>
    public static string Write(BinanceStreamWriter writer, ReplayedEvent replayed)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (replayed.Trade is { } trade)
        {
            writer.WriteAggTrade(buffer, trade);
        }
        else if (replayed.Depth is { } depth)
        {
            writer.WriteDepthUpdate(buffer, depth);
        }
        else
        {
            writer.WriteKline(buffer, replayed.Kline!, replayed.TimeUs);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Every event written in microseconds (so nothing is rounded away), one line each: a byte-level fingerprint of the replay.</summary>
    public string Fingerprint(MarketFlavor flavor)
    {
        using var writer = new BinanceStreamWriter(flavor, BinanceTimeUnit.Microsecond);
        return string.Join('\n', All.Select(e => $"{e.TimeUs} {Write(writer, e)}"));
    }
}
