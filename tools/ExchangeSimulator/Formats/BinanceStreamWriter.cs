using System.Buffers;
using System.Text.Json;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Formats;

/// <summary>
/// Writes WebSocket stream payloads byte-compatible with Binance's: field names, order and value
/// styles as recorded from <c>stream.binance.com</c> and <c>fstream.binance.com</c>. Each call writes
/// one message into the given buffer; with a stream name it is wrapped as a combined-stream message
/// <c>{"stream":…,"data":…}</c>. Reuses one <see cref="Utf8JsonWriter"/>: not thread-safe.
/// </summary>
public sealed class BinanceStreamWriter : IDisposable
{
    private readonly Utf8JsonWriter _json = JsonValues.CreateWriter();
    private readonly bool _futures;
    private readonly BinanceTimeUnit _timeUnit;

    public BinanceStreamWriter(MarketFlavor flavor, BinanceTimeUnit timeUnit = BinanceTimeUnit.Millisecond)
    {
        _futures = flavor == MarketFlavor.UsdmFutures;
        _timeUnit = timeUnit;
    }

    /// <summary>
    /// Spot: <c>e E s a p q f l T m M</c>. USD-M futures: <c>e E a s p q f l T m</c> (id before symbol, no <c>M</c>).
    /// </summary>
    public void WriteAggTrade(IBufferWriter<byte> output, in AggregateTrade trade, string? stream = null)
    {
        Begin(output, stream);
        _json.WriteString("e"u8, "aggTrade"u8);
        _json.WriteNumber("E"u8, _timeUnit.Time(trade.EventTimeUs));
        if (_futures)
        {
            _json.WriteNumber("a"u8, trade.AggregateId);
            _json.WriteString("s"u8, trade.Symbol);
        }
        else
        {
            _json.WriteString("s"u8, trade.Symbol);
            _json.WriteNumber("a"u8, trade.AggregateId);
        }

        _json.WriteDecimal("p"u8, trade.Price);
        _json.WriteDecimal("q"u8, trade.Quantity);
        _json.WriteNumber("f"u8, trade.FirstTradeId);
        _json.WriteNumber("l"u8, trade.LastTradeId);
        _json.WriteNumber("T"u8, _timeUnit.Time(trade.TradeTimeUs));
        _json.WriteBoolean("m"u8, trade.BuyerIsMaker);
        if (!_futures)
        {
            _json.WriteBoolean("M"u8, true);
        }

        End(stream);
    }

    /// <summary>Spot: <c>e E s U u b a</c>. USD-M futures: <c>e E T s U u pu b a</c>.</summary>
    public void WriteDepthUpdate(IBufferWriter<byte> output, DepthUpdate update, string? stream = null)
    {
        ArgumentNullException.ThrowIfNull(update);
        Begin(output, stream);
        _json.WriteString("e"u8, "depthUpdate"u8);
        _json.WriteNumber("E"u8, _timeUnit.Time(update.EventTimeUs));
        if (_futures)
        {
            _json.WriteNumber("T"u8, _timeUnit.Time(update.TransactionTimeUs));
        }

        _json.WriteString("s"u8, update.Symbol);
        _json.WriteNumber("U"u8, update.FirstUpdateId);
        _json.WriteNumber("u"u8, update.FinalUpdateId);
        if (_futures)
        {
            _json.WriteNumber("pu"u8, update.PreviousFinalUpdateId);
        }

        _json.WriteLevels("b"u8, update.Bids);
        _json.WriteLevels("a"u8, update.Asks);
        End(stream);
    }

    /// <summary><c>e E s k{t T s i f L o c h l v n x q V Q B}</c>, the same on Spot and futures.</summary>
    public void WriteKline(IBufferWriter<byte> output, Kline kline, long eventTimeUs, string? stream = null)
    {
        ArgumentNullException.ThrowIfNull(kline);
        Begin(output, stream);
        _json.WriteString("e"u8, "kline"u8);
        _json.WriteNumber("E"u8, _timeUnit.Time(eventTimeUs));
        _json.WriteString("s"u8, kline.Symbol);
        _json.WriteStartObject("k"u8);
        _json.WriteNumber("t"u8, _timeUnit.Time(kline.OpenTimeUs));
        _json.WriteNumber("T"u8, _timeUnit.CloseTime(kline));
        _json.WriteString("s"u8, kline.Symbol);
        _json.WriteString("i"u8, kline.Interval.Name);
        _json.WriteNumber("f"u8, kline.FirstTradeId);
        _json.WriteNumber("L"u8, kline.LastTradeId);
        _json.WriteDecimal("o"u8, kline.Open);
        _json.WriteDecimal("c"u8, kline.Close);
        _json.WriteDecimal("h"u8, kline.High);
        _json.WriteDecimal("l"u8, kline.Low);
        _json.WriteDecimal("v"u8, kline.BaseVolume);
        _json.WriteNumber("n"u8, kline.TradeCount);
        _json.WriteBoolean("x"u8, kline.IsClosed);
        _json.WriteDecimal("q"u8, kline.QuoteVolume);
        _json.WriteDecimal("V"u8, kline.TakerBuyBaseVolume);
        _json.WriteDecimal("Q"u8, kline.TakerBuyQuoteVolume);
        _json.WriteString("B"u8, "0"u8);
        _json.WriteEndObject();
        End(stream);
    }

    public void Dispose() => _json.Dispose();

    private void Begin(IBufferWriter<byte> output, string? stream)
    {
        ArgumentNullException.ThrowIfNull(output);
        _json.Reset(output);
        if (stream is not null)
        {
            _json.WriteStartObject();
            _json.WriteString("stream"u8, stream);
            _json.WritePropertyName("data"u8);
        }

        _json.WriteStartObject();
    }

    private void End(string? stream)
    {
        _json.WriteEndObject();
        if (stream is not null)
        {
            _json.WriteEndObject();
        }

        _json.Flush();
    }
}
