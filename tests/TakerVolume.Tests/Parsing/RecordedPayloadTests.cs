using System.Globalization;
using System.Text;
using BinanceRecordings;
using Streaming.Contracts;
using TakerVolume.Parsing;

namespace TakerVolume.Tests.Parsing;

/// <summary>
/// Every aggTrade and kline payload of the real recordings parses, and equals what BinanceRecordings'
/// readers (a separate implementation, on ExactDecimal) read from the same lines.
/// </summary>
public sealed class RecordedPayloadTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(Recordings.CryptofeedCaptures), MemberType = typeof(Recordings))]
    public async Task AggTrades_EveryRecordedPayload_ParsesToWhatTheReferenceReads(string folder, string file)
    {
        var payloads = Recordings.Payloads(folder, file, "@aggTrade");
        var reference = await Recordings.ReferenceAsync(folder, file);

        foreach (var payload in payloads)
        {
            var message = reference[payload.LineNumber];
            Assert.True(payload.Json.AsSpan().SequenceEqual(message.Payload.Span), $"line {payload.LineNumber}: the data object cut out differs from the reader's");
            var expected = message.ToAggTrade();

            var error = AggTradeParser.TryParse(payload.Json, payload.Symbol, out var trade, out var reason);

            Assert.True(error == PayloadError.None, $"line {payload.LineNumber}: {error}: {reason} in {payload}");
            Assert.Equal(expected.AggregateTradeId, trade.AggregateId);
            AssertExact(expected.Price, trade.Price);
            AssertExact(expected.Quantity, trade.Quantity);
            Assert.Equal(expected.FirstTradeId, trade.FirstTradeId);
            Assert.Equal(expected.LastTradeId, trade.LastTradeId);
            Assert.Equal(expected.TradeTimeMs, trade.TradeTimeMs);
            Assert.Equal(-1, trade.TradeTimeUs);
            Assert.Equal(expected.EventTimeMs ?? -1, trade.EventTimeMs);
            Assert.Equal(expected.IsBuyerMaker, trade.BuyerIsMaker);
            Assert.Equal(expected.TradeCount, trade.TradeCount);
            Assert.False(trade.IsMarkedInvalid);
        }

        output.WriteLine($"{folder}/{file}: {payloads.Count} aggTrade payloads, {payloads.Select(p => p.Symbol).Distinct().Count()} symbols");
        Assert.NotEmpty(payloads);
        Assert.Equal(reference.Values.Count(message => message.EventType == "aggTrade"), payloads.Count);
    }

    [Theory]
    [MemberData(nameof(Recordings.CryptofeedCaptures), MemberType = typeof(Recordings))]
    public async Task Klines_EveryRecordedPayload_ParsesToWhatTheReferenceReads(string folder, string file)
    {
        var payloads = Recordings.Payloads(folder, file, "@kline_1m");
        var reference = await Recordings.ReferenceAsync(folder, file);

        foreach (var payload in payloads)
        {
            var expected = reference[payload.LineNumber].ToKline();

            var error = KlineParser.TryParse(payload.Json, payload.Symbol, out var kline, out var reason);

            Assert.True(error == PayloadError.None, $"line {payload.LineNumber}: {error}: {reason} in {payload}");
            AssertEqual(expected, kline);
        }

        output.WriteLine($"{folder}/{file}: {payloads.Count} kline payloads, {payloads.Count(p => KlineParser.TryParse(p.Json, p.Symbol, out var k, out _) == PayloadError.None && k.IsClosed)} closed");
        Assert.NotEmpty(payloads);
        Assert.Equal(reference.Values.Count(message => message.EventType == "kline"), payloads.Count);
    }

    [Fact]
    public void Klines_RecordedPayloadsInMicroseconds_GiveTheSameMilliseconds()
    {
        var payloads = Recordings.Payloads("4fe0297", "BINANCE.ws.1.0", "@kline_1m");
        Assert.NotEmpty(payloads);

        foreach (var payload in payloads)
        {
            Assert.Equal(PayloadError.None, KlineParser.TryParse(payload.Json, payload.Symbol, out var inMs, out _));
            var microseconds = ToMicroseconds(payload.ToString(), inMs);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\"T\":{inMs.CloseTimeMs}999,"), microseconds, StringComparison.Ordinal);
            Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"\"t\":{inMs.OpenTimeMs}000,"), microseconds, StringComparison.Ordinal);

            var error = KlineParser.TryParse(Encoding.UTF8.GetBytes(microseconds), payload.Symbol, out var inUs, out var reason);

            Assert.True(error == PayloadError.None, $"{error}: {reason} in {microseconds}");
            Assert.Equal(inMs, inUs);
        }
    }

    /// <summary>
    /// The data.binance.vision file has microsecond times: each of its 5,000 rows, written as a
    /// REST row and as a WebSocket event in microseconds (as Spot sends with timeUnit=MICROSECOND),
    /// parses to the row as AggTradesCsvReader reads it.
    /// </summary>
    [Fact]
    public async Task AggTrades_BinanceVisionRowsAsMicrosecondPayloads_ParseToTheRows()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var rows = await AggTradesCsvReader.ReadFileAsync(Recordings.BinanceVisionAggTrades, cancellationToken: cancellation).ToListAsync(cancellation);
        Assert.Equal(5000, rows.Count);

        foreach (var row in rows)
        {
            var expected = row.Trade;
            Assert.Equal(TimestampUnit.Microseconds, row.TimeUnit);
            var fields = string.Create(
                CultureInfo.InvariantCulture,
                $"\"a\":{expected.AggregateTradeId},\"p\":\"{expected.Price.Text}\",\"q\":\"{expected.Quantity.Text}\",\"f\":{expected.FirstTradeId},\"l\":{expected.LastTradeId},\"T\":{expected.TradeTimeUs},\"m\":{(expected.IsBuyerMaker ? "true" : "false")},\"M\":{(row.IsBestMatch ? "true" : "false")}");
            var restRow = "{" + fields + "}";
            var eventTimeUs = expected.TradeTimeUs + 1234;
            var wsEvent = string.Create(CultureInfo.InvariantCulture, $"{{\"e\":\"aggTrade\",\"E\":{eventTimeUs},\"s\":\"BTCUSDT\",{fields}}}");

            foreach (var (json, eventTimeMs) in new[] { (restRow, -1L), (wsEvent, eventTimeUs / 1000) })
            {
                var error = AggTradeParser.TryParse(Encoding.UTF8.GetBytes(json), "BTCUSDT", out var trade, out var reason);

                Assert.True(error == PayloadError.None, $"{error}: {reason} in {json}");
                Assert.Equal(expected.AggregateTradeId, trade.AggregateId);
                AssertExact(expected.Price, trade.Price);
                AssertExact(expected.Quantity, trade.Quantity);
                Assert.Equal(expected.FirstTradeId, trade.FirstTradeId);
                Assert.Equal(expected.LastTradeId, trade.LastTradeId);
                Assert.Equal(expected.TradeTimeUs, trade.TradeTimeUs);
                Assert.Equal(expected.TradeTimeMs, trade.TradeTimeMs);
                Assert.Equal(eventTimeMs, trade.EventTimeMs);
                Assert.Equal(expected.IsBuyerMaker, trade.BuyerIsMaker);
                Assert.Equal(row.IsMarkedInvalid, trade.IsMarkedInvalid);
            }
        }
    }

    private static void AssertExact(ExactNumber expected, decimal actual)
    {
        Assert.Equal(expected.Value, actual);
        Assert.Equal(expected.Value.Scale, actual.Scale);
        Assert.Equal(expected.Text, ExactDecimal.Format(actual));
    }

    private static void AssertEqual(KlineRecord expected, ParsedKline actual)
    {
        Assert.Equal(expected.OpenTimeMs, actual.OpenTimeMs);
        Assert.Equal(expected.CloseTimeUs / 1000, actual.CloseTimeMs);
        Assert.Equal(expected.Interval, actual.Interval);
        Assert.Equal(expected.FirstTradeId, actual.FirstTradeId);
        Assert.Equal(expected.LastTradeId, actual.LastTradeId);
        AssertExact(expected.Open, actual.Open);
        AssertExact(expected.High, actual.High);
        AssertExact(expected.Low, actual.Low);
        AssertExact(expected.Close, actual.Close);
        AssertExact(expected.Volume, actual.BaseVolume);
        AssertExact(expected.QuoteVolume, actual.QuoteVolume);
        AssertExact(expected.TakerBuyVolume, actual.TakerBuyBaseVolume);
        AssertExact(expected.TakerBuyQuoteVolume, actual.TakerBuyQuoteVolume);
        Assert.Equal(expected.TradeCount, actual.TradeCount);
        Assert.Equal(expected.IsClosed, actual.IsClosed);
        Assert.Equal(expected.EventTimeMs ?? -1, actual.EventTimeMs);
    }

    /// <summary>The kline event with t, T and E in microseconds, as Spot sends them with timeUnit=MICROSECOND (T ends in ...999999).</summary>
    private static string ToMicroseconds(string json, ParsedKline kline) => json
        .Replace(string.Create(CultureInfo.InvariantCulture, $"\"t\":{kline.OpenTimeMs},"), string.Create(CultureInfo.InvariantCulture, $"\"t\":{kline.OpenTimeMs * 1000},"), StringComparison.Ordinal)
        .Replace(string.Create(CultureInfo.InvariantCulture, $"\"T\":{kline.CloseTimeMs},"), string.Create(CultureInfo.InvariantCulture, $"\"T\":{(kline.CloseTimeMs * 1000) + 999},"), StringComparison.Ordinal)
        .Replace(string.Create(CultureInfo.InvariantCulture, $"\"E\":{kline.EventTimeMs},"), string.Create(CultureInfo.InvariantCulture, $"\"E\":{(kline.EventTimeMs * 1000) + 456},"), StringComparison.Ordinal);
}
