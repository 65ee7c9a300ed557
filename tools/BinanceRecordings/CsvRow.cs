using System.Text;

namespace BinanceRecordings;

/// <summary>
/// Reads the comma-separated fields of one CSV line in order, each as the type its column holds;
/// any problem throws a <see cref="RecordingFormatException"/> naming the file, line and column.
/// </summary>
internal ref struct CsvRow(ReadOnlySpan<byte> line, string source, long lineNumber)
{
    private ReadOnlySpan<byte> _rest = line;
    private bool _exhausted;

    public long Int64(string column)
    {
        var field = Next(column);
        return Utf8Text.TryParseInt64(field, out var value) ? value : throw Error($"{column} '{Show(field)}' is not an integer");
    }

    public ExactNumber Number(string column)
    {
        var field = Next(column);
        return ExactNumber.TryParseUtf8(field, out var value) ? value : throw Error($"{column} '{Show(field)}' is not an exact decimal");
    }

    public bool Boolean(string column)
    {
        var field = Next(column);
        return Utf8Text.TryParseBoolean(field, out var value) ? value : throw Error($"{column} '{Show(field)}' is not True/False/true/false");
    }

    /// <summary>Skips a column whose content is not used (klines' "ignore").</summary>
    public void Skip(string column) => Next(column);

    /// <summary>Throws if the line has more fields than the columns read.</summary>
    public readonly void End(int expectedColumns)
    {
        if (!_exhausted)
        {
            throw Error($"more than {expectedColumns} fields");
        }
    }

    public readonly RecordingFormatException Error(string reason) => new(source, lineNumber, reason);

    private ReadOnlySpan<byte> Next(string column)
    {
        if (_exhausted)
        {
            throw Error($"truncated row: column {column} is missing");
        }

        var comma = _rest.IndexOf((byte)',');
        ReadOnlySpan<byte> field;
        if (comma < 0)
        {
            field = _rest;
            _exhausted = true;
        }
        else
        {
            field = _rest[..comma];
            _rest = _rest[(comma + 1)..];
        }

        return field;
    }

    private static string Show(ReadOnlySpan<byte> field) => Encoding.UTF8.GetString(field[..Math.Min(field.Length, 40)]);
}
