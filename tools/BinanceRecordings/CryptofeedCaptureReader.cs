using System.Runtime.CompilerServices;
using System.Text;

namespace BinanceRecordings;

/// <summary>
/// Reads cryptofeed's raw captures (bmoscon/cryptofeed <c>sample_data/</c>):
/// WebSocket files <c>*.ws.*</c> (first line <c>&lt;url&gt; &lt;-&gt; &lt;epoch_s&gt;</c>, then
/// <c>&lt;epoch_s&gt;: &lt;combined-stream JSON&gt;</c>) and REST files <c>*.http.*</c>
/// (<c>&lt;url&gt; -&gt; &lt;epoch_s&gt;: &lt;JSON&gt;</c>, the depth snapshots of the session).
/// </summary>
public static class CryptofeedCaptureReader
{
    /// <summary>Reads a WebSocket capture; the URL line is checked and not yielded.</summary>
    /// <param name="stream">The capture's bytes (left open).</param>
    /// <param name="source">The file name used in error messages.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming <paramref name="source"/> and the line.</exception>
    public static IAsyncEnumerable<CapturedMessage> ReadWebSocketAsync(Stream stream, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Utf8LineParser.ParseAsync<CapturedMessage>(stream, (line, number, out message) => TryParseWebSocketLine(line, source, number, out message), cancellationToken);
    }

    /// <summary>Reads a REST capture (depth snapshots; the symbol is taken from the URL).</summary>
    /// <inheritdoc cref="ReadWebSocketAsync(Stream, string, CancellationToken)"/>
    public static IAsyncEnumerable<CapturedMessage> ReadRestAsync(Stream stream, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        return Utf8LineParser.ParseAsync<CapturedMessage>(stream, (line, number, out message) => TryParseRestLine(line, source, number, out message), cancellationToken);
    }

    /// <summary>Reads the capture at <paramref name="path"/>: REST if its name contains ".http.", else WebSocket.</summary>
    /// <param name="path">A cryptofeed capture file.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <exception cref="RecordingFormatException">A malformed line, naming the file and the line.</exception>
    public static async IAsyncEnumerable<CapturedMessage> ReadFileAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var isRest = Path.GetFileName(path).Contains(".http.", StringComparison.Ordinal);
        await using var file = RecordingFiles.OpenRead(path);
        var messages = isRest ? ReadRestAsync(file, path, cancellationToken) : ReadWebSocketAsync(file, path, cancellationToken);
        await foreach (var message in messages)
        {
            yield return message;
        }
    }

    private static bool TryParseWebSocketLine(ReadOnlySpan<byte> line, string source, long lineNumber, out CapturedMessage message)
    {
        message = null!;
        if (line.IsEmpty)
        {
            return false;
        }

        if (lineNumber == 1)
        {
            return line.StartsWith("wss://"u8)
                ? false
                : throw new RecordingFormatException(source, lineNumber, "expected the WebSocket URL line first (wss://...)");
        }

        var separator = line.IndexOf(": "u8);
        if (separator < 0 || !Utf8Text.TryParseEpochSecondsAsNanoseconds(line[..separator], out var receivedNs))
        {
            throw new RecordingFormatException(source, lineNumber, "expected '<epoch seconds>: <JSON>'");
        }

        message = CaptureLineParser.Parse(line[(separator + 2)..], source, lineNumber, receivedNs, snapshotSymbol: null);
        return true;
    }

    private static bool TryParseRestLine(ReadOnlySpan<byte> line, string source, long lineNumber, out CapturedMessage message)
    {
        message = null!;
        if (line.IsEmpty)
        {
            return false;
        }

        var arrow = line.IndexOf(" -> "u8);
        var afterArrow = arrow < 0 ? [] : line[(arrow + 4)..];
        var separator = afterArrow.IndexOf(": "u8);
        if (separator < 0 || !Utf8Text.TryParseEpochSecondsAsNanoseconds(afterArrow[..separator], out var receivedNs))
        {
            throw new RecordingFormatException(source, lineNumber, "expected '<url> -> <epoch seconds>: <JSON>'");
        }

        message = CaptureLineParser.Parse(afterArrow[(separator + 2)..], source, lineNumber, receivedNs, SymbolOfUrl(line[..arrow]));
        return true;
    }

    /// <summary>The <c>symbol=</c> query parameter of a REST URL, upper case; null if absent.</summary>
    private static string? SymbolOfUrl(ReadOnlySpan<byte> url)
    {
        var start = url.IndexOf("symbol="u8);
        if (start < 0)
        {
            return null;
        }

        var value = url[(start + "symbol="u8.Length)..];
        var end = value.IndexOf((byte)'&');
        return Encoding.ASCII.GetString(end < 0 ? value : value[..end]).ToUpperInvariant();
    }
}
