using System.Buffers;
using System.Text.Json;
using ExchangeSimulator.Market;

namespace ExchangeSimulator.Formats;

/// <summary>
/// Writes REST response bodies shaped like Binance's (<c>/api/v3</c> on Spot, <c>/fapi/v1</c> on
/// USD-M futures). One body per call into the given buffer. Reuses one <see cref="Utf8JsonWriter"/>: not thread-safe.
/// </summary>
public sealed class BinanceRestWriter : IDisposable
{
    private readonly Utf8JsonWriter _json = JsonValues.CreateWriter();
    private readonly bool _futures;
    private readonly BinanceTimeUnit _timeUnit;

    public BinanceRestWriter(MarketFlavor flavor, BinanceTimeUnit timeUnit = BinanceTimeUnit.Millisecond)
    {
        _futures = flavor == MarketFlavor.UsdmFutures;
        _timeUnit = timeUnit;
    }

    /// <summary><c>aggTrades</c>: <c>[{"a","p","q","f","l","T","m","M"}]</c> (futures without <c>M</c>).</summary>
    public void WriteAggTrades(IBufferWriter<byte> output, IReadOnlyList<AggregateTrade> trades)
    {
        ArgumentNullException.ThrowIfNull(trades);
        _json.Reset(output);
        _json.WriteStartArray();
        for (var i = 0; i < trades.Count; i++)
        {
            var trade = trades[i];
            _json.WriteStartObject();
            _json.WriteNumber("a"u8, trade.AggregateId);
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

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.Flush();
    }

    /// <summary><c>depth</c>: <c>{"lastUpdateId","bids","asks"}</c>; futures add <c>E</c> and <c>T</c> after the id.</summary>
    public void WriteDepth(IBufferWriter<byte> output, OrderBookSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteNumber("lastUpdateId"u8, snapshot.LastUpdateId);
        if (_futures)
        {
            _json.WriteNumber("E"u8, _timeUnit.Time(snapshot.EventTimeUs));
            _json.WriteNumber("T"u8, _timeUnit.Time(snapshot.TransactionTimeUs));
        }

        _json.WriteLevels("bids"u8, snapshot.Bids);
        _json.WriteLevels("asks"u8, snapshot.Asks);
        _json.WriteEndObject();
        _json.Flush();
    }

    /// <summary><c>klines</c>: rows <c>[t,"o","h","l","c","v",T,"q",n,"V","Q","0"]</c>.</summary>
    public void WriteKlines(IBufferWriter<byte> output, IReadOnlyList<Kline> klines)
    {
        ArgumentNullException.ThrowIfNull(klines);
        _json.Reset(output);
        _json.WriteStartArray();
        for (var i = 0; i < klines.Count; i++)
        {
            var kline = klines[i];
            _json.WriteStartArray();
            _json.WriteNumberValue(_timeUnit.Time(kline.OpenTimeUs));
            _json.WriteDecimalValue(kline.Open);
            _json.WriteDecimalValue(kline.High);
            _json.WriteDecimalValue(kline.Low);
            _json.WriteDecimalValue(kline.Close);
            _json.WriteDecimalValue(kline.BaseVolume);
            _json.WriteNumberValue(_timeUnit.CloseTime(kline));
            _json.WriteDecimalValue(kline.QuoteVolume);
            _json.WriteNumberValue(kline.TradeCount);
            _json.WriteDecimalValue(kline.TakerBuyBaseVolume);
            _json.WriteDecimalValue(kline.TakerBuyQuoteVolume);
            _json.WriteStringValue("0"u8);
            _json.WriteEndArray();
        }

        _json.WriteEndArray();
        _json.Flush();
    }

    /// <summary>
    /// The subset of <c>exchangeInfo</c> a collector needs: which symbols trade, their assets and
    /// <c>PRICE_FILTER</c>/<c>LOT_SIZE</c>; futures add <c>contractType</c> and the print precisions.
    /// </summary>
    /// <param name="output">Where the body goes.</param>
    /// <param name="serverTimeUs">The exchange's time.</param>
    /// <param name="symbols">The symbols, in the order printed.</param>
    /// <param name="status">Each symbol's <c>status</c> (<c>TRADING</c>, <c>BREAK</c>…), null to leave it out; null: all <c>TRADING</c>.</param>
    public void WriteExchangeInfo(IBufferWriter<byte> output, long serverTimeUs, IReadOnlyList<SymbolSpec> symbols, Func<SymbolSpec, string?>? status = null)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        _json.Reset(output);
        _json.WriteStartObject();
        _json.WriteString("timezone"u8, "UTC"u8);
        _json.WriteNumber("serverTime"u8, _timeUnit.Time(serverTimeUs));
        _json.WriteStartArray("symbols"u8);
        for (var i = 0; i < symbols.Count; i++)
        {
            if ((status is null ? "TRADING" : status(symbols[i])) is { } text)
            {
                WriteSymbol(symbols[i], text);
            }
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
    }

    public void Dispose() => _json.Dispose();

    private void WriteSymbol(SymbolSpec symbol, string status)
    {
        _json.WriteStartObject();
        _json.WriteString("symbol"u8, symbol.Name);
        _json.WriteString("status"u8, status);
        if (_futures)
        {
            _json.WriteString("contractType"u8, "PERPETUAL"u8);
        }

        // Binance's order: Spot interleaves each asset with its precision, futures lists the assets first.
        _json.WriteString("baseAsset"u8, symbol.BaseAsset);
        if (_futures)
        {
            _json.WriteString("quoteAsset"u8, symbol.QuoteAsset);
            _json.WriteNumber("pricePrecision"u8, symbol.TickDecimals);
            _json.WriteNumber("quantityPrecision"u8, symbol.StepDecimals);
        }
        else
        {
            _json.WriteNumber("baseAssetPrecision"u8, 8);
            _json.WriteString("quoteAsset"u8, symbol.QuoteAsset);
            _json.WriteNumber("quotePrecision"u8, 8);
        }

        _json.WriteStartArray("filters"u8);
        _json.WriteStartObject();
        _json.WriteString("filterType"u8, "PRICE_FILTER"u8);
        _json.WriteDecimal("tickSize"u8, ScaledDecimal.WithScale(symbol.TickSize, symbol.PriceScale));
        _json.WriteEndObject();
        _json.WriteStartObject();
        _json.WriteString("filterType"u8, "LOT_SIZE"u8);
        _json.WriteDecimal("stepSize"u8, ScaledDecimal.WithScale(symbol.StepSize, symbol.QuantityScale));
        _json.WriteEndObject();
        _json.WriteEndArray();
        _json.WriteEndObject();
    }
}
