namespace BinanceRecordings;

/// <summary>data.binance.vision added header lines to its CSV files in 2022; older files have none.</summary>
internal static class CsvHeader
{
    /// <summary>A data row starts with a digit (an id or epoch time); a header with a column name.</summary>
    public static bool IsHeader(ReadOnlySpan<byte> firstLine) => char.IsAsciiLetter((char)firstLine[0]);
}
