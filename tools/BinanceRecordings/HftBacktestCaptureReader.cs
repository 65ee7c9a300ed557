using System.Runtime.CompilerServices;

namespace BinanceRecordings;

/// <summary>
/// Reads hftbacktest's raw Binance captures (nkaz001/hftbacktest <c>examples/spot/*.gz</c>):
/// gzip text, one line per message, <c>&lt;local_recv_timestamp_ns&gt; &lt;raw JSON&gt;</c>.
/// Lines without a <c>stream</c> key are REST depth snapshots; the capture does not name their symbol.
/// </summary>
public static class HftBacktestCaptureReader
{
    /// <summary>Reads decompressed capture text from <paramref name="stream"/> (left open).</summary>
    /// <param name="stream">The capture's text bytes (already decompressed).</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming <paramref name="source"/> and the line.</exception>
    public static IAsyncEnumerable<CapturedMessage> ReadAsync(Stream stream, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Utf8LineParser.ParseAsync<CapturedMessage>(stream, (line, number, out message) => TryParseLine(line, source, number, out message), cancellationToken);
    }

    /// <summary>Reads the capture at <paramref name="path"/>, decompressing it if it ends in ".gz".</summary>
    /// <param name="path">An hftbacktest capture file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming the file and the line.</exception>
    public static async IAsyncEnumerable<CapturedMessage> ReadFileAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var file = RecordingFiles.OpenRead(path);
        await foreach (var message in ReadAsync(file, path, cancellationToken))
        {
            yield return message;
        }
    }

    private static bool TryParseLine(ReadOnlySpan<byte> line, string source, long lineNumber, out CapturedMessage message)
    {
        message = null!;
        if (line.IsEmpty)
        {
            return false;
        }

        var space = line.IndexOf((byte)' ');
        if (space < 0 || !Utf8Text.TryParseInt64(line[..space], out var receivedNs))
        {
            throw new RecordingFormatException(source, lineNumber, "expected '<receive time ns> <JSON>'");
        }

        message = CaptureLineParser.Parse(line[(space + 1)..], source, lineNumber, receivedNs, snapshotSymbol: null);
        return true;
    }
}
