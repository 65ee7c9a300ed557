using System.Text;

namespace Ingest.Sharding;

/// <summary>
/// Splits a stream list into Binance control messages <c>{"method":"SUBSCRIBE","params":[…],"id":N}</c>.
/// Why batch: every control message counts against the 5 (Spot) / 10 (USD-M) incoming messages per second
/// per connection, so one message per stream would take minutes for a full shard and risks a disconnect;
/// why cap: a huge message is a single point of failure (one rejected stream name fails the whole request)
/// and servers bound frame sizes. The JSON is written by hand because stream names are plain ASCII and the
/// exact bytes, and their size, must be known before writing (a general JSON encoder would escape <c>+</c>
/// of <c>@kline_1m@+08:00</c>).
/// </summary>
public static class SubscribeBatcher
{
    /// <summary>Streams per message: Binance accepts more, but a smaller batch keeps one bad name from failing many.</summary>
    public const int DefaultMaxParams = 200;

    /// <summary>Largest message in bytes.</summary>
    public const int DefaultMaxBytes = 16 * 1024;

    /// <summary>
    /// Batches for <paramref name="method"/> (<c>SUBSCRIBE</c> or <c>UNSUBSCRIBE</c>) with ids
    /// <paramref name="firstId"/>, <paramref name="firstId"/>+1, … in message order.
    /// </summary>
    public static IEnumerable<(long Id, byte[] Json)> Batch(
        string method, IReadOnlyList<string> streams, long firstId, int maxParams = DefaultMaxParams, int maxBytes = DefaultMaxBytes)
    {
        Validate(method, streams, maxParams, maxBytes);
        return BatchCore(method, streams, firstId, maxParams, maxBytes);
    }

    /// <summary>
    /// Batches whose ids come from <paramref name="nextId"/>, called once per message as it is produced: for a
    /// connection that numbers all its requests from one counter.
    /// </summary>
    public static IEnumerable<byte[]> Batch(
        string method, IReadOnlyList<string> streams, Func<long> nextId, int maxParams = DefaultMaxParams, int maxBytes = DefaultMaxBytes)
    {
        ArgumentNullException.ThrowIfNull(nextId);
        Validate(method, streams, maxParams, maxBytes);
        return BatchCore(method, streams, nextId, maxParams, maxBytes);
    }

    /// <summary>The exact size of a message carrying <paramref name="count"/> params of <paramref name="paramBytes"/> total name bytes.</summary>
    internal static int MessageLength(string method, int count, int paramBytes, long id) =>
        "{\"method\":\"".Length + method.Length + "\",\"params\":[".Length
        + paramBytes + (3 * count) - (count > 0 ? 1 : 0)
        + "],\"id\":".Length + DigitCount(id) + "}".Length;

    private static IEnumerable<(long Id, byte[] Json)> BatchCore(string method, IReadOnlyList<string> streams, long firstId, int maxParams, int maxBytes)
    {
        var id = firstId;
        foreach (var json in BatchCore(method, streams, () => id, maxParams, maxBytes))
        {
            yield return (id, json);
            id++;
        }
    }

    private static IEnumerable<byte[]> BatchCore(string method, IReadOnlyList<string> streams, Func<long> nextId, int maxParams, int maxBytes)
    {
        var start = 0;
        while (start < streams.Count)
        {
            var id = nextId();
            var count = 0;
            var nameBytes = 0;
            while (start + count < streams.Count && count < maxParams
                && MessageLength(method, count + 1, nameBytes + streams[start + count].Length, id) <= maxBytes)
            {
                nameBytes += streams[start + count].Length;
                count++;
            }

            if (count == 0)
            {
                throw new ArgumentException($"Stream '{streams[start]}' does not fit in a {maxBytes}-byte message.", nameof(streams));
            }

            yield return Write(method, streams, start, count, nameBytes, id);
            start += count;
        }
    }

    private static byte[] Write(string method, IReadOnlyList<string> streams, int start, int count, int nameBytes, long id)
    {
        var json = new byte[MessageLength(method, count, nameBytes, id)];
        var at = Append(json, 0, "{\"method\":\"");
        at = Append(json, at, method);
        at = Append(json, at, "\",\"params\":[");
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                json[at++] = (byte)',';
            }

            json[at++] = (byte)'"';
            at = Append(json, at, streams[start + i]);
            json[at++] = (byte)'"';
        }

        at = Append(json, at, "],\"id\":");
        at = Append(json, at, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json[at] = (byte)'}';
        return json;
    }

    private static int Append(byte[] json, int at, string ascii) => at + Encoding.ASCII.GetBytes(ascii, json.AsSpan(at));

    private static int DigitCount(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;

    private static void Validate(string method, IReadOnlyList<string> streams, int maxParams, int maxBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParams);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (!IsPlainAscii(method))
        {
            throw new ArgumentException("The method must be plain ASCII.", nameof(method));
        }

        for (var i = 0; i < streams.Count; i++)
        {
            if (string.IsNullOrEmpty(streams[i]) || !IsPlainAscii(streams[i]))
            {
                throw new ArgumentException($"Stream name #{i} '{streams[i]}' is empty or not printable ASCII without quotes or backslashes.", nameof(streams));
            }
        }
    }

    /// <summary>Printable ASCII without <c>"</c> and <c>\</c>: what can go between JSON quotes unescaped.</summary>
    private static bool IsPlainAscii(string text)
    {
        foreach (var c in text)
        {
            if (c is < '!' or > '~' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }
}
