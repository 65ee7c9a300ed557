using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace BinanceRecordings;

/// <summary>Parses one line (without its line break) into an item; false to skip the line (blank, header).</summary>
internal delegate bool ParseLine<T>(ReadOnlySpan<byte> line, long lineNumber, out T item);

/// <summary>
/// Splits a byte stream into lines and parses each from its UTF-8 bytes, so files of any size are
/// read in constant memory with no string per line. Lines are parsed synchronously a buffer at a
/// time (spans cannot live across awaits) and the parsed items yielded afterwards.
/// </summary>
internal static class Utf8LineParser
{
    public static async IAsyncEnumerable<T> ParseAsync<T>(
        Stream stream,
        ParseLine<T> parseLine,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var state = new LineState<T>(parseLine);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var consumed = state.ParseLines(result.Buffer, result.IsCompleted);
                reader.AdvanceTo(consumed, result.Buffer.End);
                foreach (var item in state.Parsed)
                {
                    yield return item;
                }

                state.Parsed.Clear();
                if (result.IsCompleted)
                {
                    yield break;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private sealed class LineState<T>(ParseLine<T> parseLine)
    {
        private long _lineNumber;

        public List<T> Parsed { get; } = [];

        /// <returns>Where the first incomplete line starts (the end, on the final block).</returns>
        public SequencePosition ParseLines(ReadOnlySequence<byte> buffer, bool isFinalBlock)
        {
            var reader = new SequenceReader<byte>(buffer);
            while (reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
            {
                ParseOne(line);
            }

            if (isFinalBlock && !reader.End)
            {
                // The last line has no line break: parse it as it is (a truncated row fails its parser).
                ParseOne(buffer.Slice(reader.Position));
                return buffer.End;
            }

            return reader.Position;
        }

        private void ParseOne(ReadOnlySequence<byte> line)
        {
            _lineNumber++;
            // A line split across pipe segments is rare (one per segment boundary); copying it is cheap.
            var span = line.IsSingleSegment ? line.FirstSpan : line.ToArray();
            if (!span.IsEmpty && span[^1] == (byte)'\r')
            {
                span = span[..^1];
            }

            if (parseLine(span, _lineNumber, out var item))
            {
                Parsed.Add(item);
            }
        }
    }
}
