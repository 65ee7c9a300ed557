using System.Runtime.CompilerServices;

namespace BinanceRecordings;

/// <summary>
/// Reads data.binance.vision klines CSV files
/// (<c>open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore</c>),
/// streaming, with or without a header line, in milliseconds or microseconds. Rows are closed klines
/// without interval or trade ids (the archive has neither).
/// </summary>
public static class KlinesCsvReader
{
    private const int ColumnCount = 12;

    /// <summary>Reads the CSV text of <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">The CSV bytes (UTF-8, LF or CRLF line ends).</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="timeUnit">The unit of open_time and close_time; Detect judges each value by magnitude.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming <paramref name="source"/> and the line.</exception>
    public static IAsyncEnumerable<KlineRecord> ReadAsync(Stream stream, string source, TimestampUnit timeUnit = TimestampUnit.Detect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Utf8LineParser.ParseAsync<KlineRecord>(stream, (line, number, out kline) => TryParseRow(line, source, number, timeUnit, out kline), cancellationToken);
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> (gzip if it ends in ".gz").</summary>
    /// <inheritdoc cref="ReadAsync(Stream, string, TimestampUnit, CancellationToken)"/>
    public static async IAsyncEnumerable<KlineRecord> ReadFileAsync(string path, TimestampUnit timeUnit = TimestampUnit.Detect, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = RecordingFiles.OpenRead(path);
        await foreach (var kline in ReadAsync(file, path, timeUnit, cancellationToken))
        {
            yield return kline;
        }
    }

    private static bool TryParseRow(ReadOnlySpan<byte> line, string source, long lineNumber, TimestampUnit timeUnit, out KlineRecord kline)
    {
        kline = null!;
        if (line.IsEmpty || (lineNumber == 1 && CsvHeader.IsHeader(line)))
        {
            return false;
        }

        var fields = new CsvRow(line, source, lineNumber);
        var openTime = TimestampUnits.ToMicroseconds(fields.Int64("open_time"), timeUnit, out _);
        var open = fields.Number("open");
        var high = fields.Number("high");
        var low = fields.Number("low");
        var close = fields.Number("close");
        var volume = fields.Number("volume");
        var closeTime = TimestampUnits.ToMicroseconds(fields.Int64("close_time"), timeUnit, out _);
        kline = new KlineRecord
        {
            OpenTimeUs = openTime,
            CloseTimeUs = closeTime,
            Open = open,
            High = high,
            Low = low,
            Close = close,
            Volume = volume,
            QuoteVolume = fields.Number("quote_volume"),
            TradeCount = fields.Int64("count"),
            TakerBuyVolume = fields.Number("taker_buy_volume"),
            TakerBuyQuoteVolume = fields.Number("taker_buy_quote_volume"),
            IsClosed = true,
        };
        fields.Skip("ignore");
        fields.End(ColumnCount);
        return true;
    }
}
