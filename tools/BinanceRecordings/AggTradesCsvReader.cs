using System.Runtime.CompilerServices;

namespace BinanceRecordings;

/// <summary>
/// Reads data.binance.vision aggTrades CSV files
/// (<c>agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker,is_best_match</c>),
/// streaming, with or without a header line, in milliseconds or microseconds.
/// </summary>
public static class AggTradesCsvReader
{
    private const int ColumnCount = 8;

    /// <summary>Reads the CSV text of <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">The CSV bytes (UTF-8, LF or CRLF line ends).</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="timeUnit">The unit of transact_time; Detect judges each value by magnitude.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming <paramref name="source"/> and the line.</exception>
    public static IAsyncEnumerable<AggTradeCsvRow> ReadAsync(Stream stream, string source, TimestampUnit timeUnit = TimestampUnit.Detect, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Utf8LineParser.ParseAsync<AggTradeCsvRow>(stream, (line, number, out row) => TryParseRow(line, source, number, timeUnit, out row), cancellationToken);
    }

    /// <summary>Reads the CSV file at <paramref name="path"/> (gzip if it ends in ".gz").</summary>
    /// <inheritdoc cref="ReadAsync(Stream, string, TimestampUnit, CancellationToken)"/>
    public static async IAsyncEnumerable<AggTradeCsvRow> ReadFileAsync(string path, TimestampUnit timeUnit = TimestampUnit.Detect, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = RecordingFiles.OpenRead(path);
        await foreach (var row in ReadAsync(file, path, timeUnit, cancellationToken))
        {
            yield return row;
        }
    }

    private static bool TryParseRow(ReadOnlySpan<byte> line, string source, long lineNumber, TimestampUnit timeUnit, out AggTradeCsvRow row)
    {
        row = default;
        if (line.IsEmpty || (lineNumber == 1 && CsvHeader.IsHeader(line)))
        {
            return false;
        }

        var fields = new CsvRow(line, source, lineNumber);
        var id = fields.Int64("agg_trade_id");
        var price = fields.Number("price");
        var quantity = fields.Number("quantity");
        var firstId = fields.Int64("first_trade_id");
        var lastId = fields.Int64("last_trade_id");
        var time = fields.Int64("transact_time");
        var isBuyerMaker = fields.Boolean("is_buyer_maker");
        var isBestMatch = fields.Boolean("is_best_match");
        fields.End(ColumnCount);

        var isMarkedInvalid = firstId == -1 && lastId == -1 && price.Value == 0m && quantity.Value == 0m;
        if (!isMarkedInvalid && (firstId < 0 || lastId < firstId))
        {
            throw fields.Error($"first_trade_id {firstId} .. last_trade_id {lastId} is not a trade id range (and not Binance's invalid marker p=0,q=0,f=-1,l=-1)");
        }

        var trade = new AggTradeRecord
        {
            AggregateTradeId = id,
            Price = price,
            Quantity = quantity,
            FirstTradeId = firstId,
            LastTradeId = lastId,
            TradeTimeUs = TimestampUnits.ToMicroseconds(time, timeUnit, out var resolvedUnit),
            IsBuyerMaker = isBuyerMaker,
        };
        row = new AggTradeCsvRow(lineNumber, trade, isBestMatch, resolvedUnit, isMarkedInvalid);
        return true;
    }
}
