using System.IO.Compression;

namespace ExchangeSimulator.Replay;

/// <summary>Opens recordings as text, decompressing gzip (<c>.gz</c>) on the fly, for the formats BinanceRecordings has no reader for.</summary>
internal static class RecordingFileStreams
{
    private const int BufferSize = 1 << 16;

    public static StreamReader OpenText(string path)
    {
        Stream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            file = new GZipStream(file, CompressionMode.Decompress, leaveOpen: false);
        }

        return new StreamReader(file, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, BufferSize);
    }

    /// <summary>The first non-blank line, or null for an empty file; enough to recognise a format or read a capture's URL.</summary>
    public static async Task<string?> ReadFirstLineAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = OpenText(path);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!string.IsNullOrWhiteSpace(line))
            {
                return line;
            }
        }

        return null;
    }

    /// <summary>The first line that is not blank and not a header (CSV data rows start with a digit), or null.</summary>
    public static async Task<string?> ReadFirstDataRowAsync(string path, CancellationToken cancellationToken)
    {
        using var reader = OpenText(path);
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && char.IsAsciiDigit(line[0]))
            {
                return line;
            }
        }

        return null;
    }
}
