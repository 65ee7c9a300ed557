using System.Buffers;
using System.Globalization;
using System.Text;

namespace Streaming.Processing.Idempotence;

/// <summary>
/// One key's record identities, for ids that increase but may arrive out of order, twice, or much later (a replay
/// after a crash, a broker duplicate, a second redundant feed, a REST backfill): <see cref="TryAccept(long)"/> is
/// true exactly once per id, so a state transition guarded by it is idempotent.
/// </summary>
/// <remarks>
/// <para>
/// The state is a contiguous watermark (<see cref="Contiguous"/>: every id ≤ it has been seen or is settled) and
/// the ids seen above it as sorted, disjoint, non-adjacent inclusive ranges (<see cref="Ranges"/>), so a burst of
/// consecutive ids above a hole costs one range. The gaps between the watermark and the ranges are the
/// <see cref="Holes"/>: ids filling them are accepted even though larger ids came first, and filling the one
/// right above the watermark advances it over the ranges that then join it.
/// </para>
/// <para>
/// Start: a fresh tracker has seen nothing (<see cref="HasAny"/> false, <see cref="Contiguous"/> is
/// <see cref="long.MinValue"/>). The first accepted id becomes the watermark, so ids below the first one are
/// rejected as settled: the tracker's history starts there. A caller that knows where the sequence starts (e.g. the
/// first id a REST backfill will deliver) calls <see cref="Settle"/> with the id before it first, so the ids from
/// there on are tracked as holes even when a later one arrives first.
/// </para>
/// <para>
/// Memory bound: at most <see cref="MaxRanges"/> ranges (hence holes) are kept above the watermark. When an accepted
/// id makes one more, the oldest hole is settled: the watermark jumps over it and the hole is reported through
/// <see cref="TryAccept(long, out IdRange?)"/> so the caller can publish a feed gap. The trade-off: a settled hole's
/// ids that arrive later are indistinguishable from repeats and are rejected, i.e. the record is lost to this
/// processor (it was reported as a gap). A <see cref="MaxRanges"/> of 0 makes the tracker a plain high-water mark.
/// </para>
/// <para>Not thread-safe: one tracker belongs to one key of one task.</para>
/// </remarks>
public sealed class SequenceTracker : IEquatable<SequenceTracker>
{
    /// <summary>The default bound on ranges kept above the watermark (16 bytes each).</summary>
    public const int DefaultMaxRanges = 1024;

    private const byte FormatVersion = 1;
    private const byte HasAnyFlag = 1;
    private const int MaxVarintLength = 10;
    private const int ToStringRangeLimit = 8;

    private Run[] _runs = [];
    private int _head;
    private int _count;
    private bool _hasAny;
    private long _contiguous = long.MinValue;
    private int _version;

    /// <param name="maxRanges">The most ranges kept above the watermark before the oldest hole is settled; ≥ 0.</param>
    public SequenceTracker(int maxRanges = DefaultMaxRanges)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxRanges);
        MaxRanges = maxRanges;
    }

    /// <summary>The most ranges kept above the watermark (configuration: not part of the serialized state or equality).</summary>
    public int MaxRanges { get; }

    /// <summary>False until the first id is accepted (or <see cref="Settle"/> sets the start).</summary>
    public bool HasAny => _hasAny;

    /// <summary>Every id ≤ this has been seen or is settled; <see cref="long.MinValue"/> while <see cref="HasAny"/> is false.</summary>
    public long Contiguous => _contiguous;

    /// <summary>The highest id seen or settled; <see cref="long.MinValue"/> while <see cref="HasAny"/> is false.</summary>
    public long Highest => _count > 0 ? RunAt(_count - 1).Last : _contiguous;

    /// <summary>How many ranges of seen ids lie above the watermark (as many as there are <see cref="Holes"/>).</summary>
    public int RangeCount => _count;

    /// <summary>The ranges of ids seen above the watermark, in increasing order.</summary>
    public IEnumerable<IdRange> Ranges => EnumerateRanges();

    /// <summary>The missing ranges between the watermark and <see cref="Highest"/>, in increasing order (for gap reporting).</summary>
    public IEnumerable<IdRange> Holes => EnumerateHoles();

    /// <summary>True when <paramref name="id"/> has been seen or is settled, i.e. <see cref="TryAccept(long)"/> would reject it.</summary>
    public bool Contains(long id)
    {
        if (!_hasAny)
        {
            return false;
        }

        if (id <= _contiguous)
        {
            return true;
        }

        var index = UpperBound(id);
        return index > 0 && RunAt(index - 1).Last >= id;
    }

    /// <summary>
    /// True the first time <paramref name="id"/> is offered, false for a repeat (or an id at or below the watermark).
    /// Use <see cref="TryAccept(long, out IdRange?)"/> where the <see cref="MaxRanges"/> bound can be reached: this
    /// overload does not say when a hole was settled.
    /// </summary>
    public bool TryAccept(long id) => TryAccept(id, out _);

    /// <summary>
    /// True the first time <paramref name="id"/> is offered, false for a repeat (or an id at or below the watermark).
    /// <paramref name="settled"/> is the hole the watermark jumped over when accepting the id exceeded
    /// <see cref="MaxRanges"/> (its ids will be rejected from now on: report it as a gap), null otherwise.
    /// </summary>
    public bool TryAccept(long id, out IdRange? settled)
    {
        settled = null;
        if (!_hasAny)
        {
            _hasAny = true;
            _contiguous = id;
            _version++;
            return true;
        }

        if (id <= _contiguous || !Insert(id))
        {
            return false;
        }

        _version++;
        if (_count > MaxRanges)
        {
            settled = SettleOldestHole();
        }

        return true;
    }

    /// <summary>
    /// Gives up on every unseen id ≤ <paramref name="upTo"/>: the watermark moves to at least <paramref name="upTo"/>
    /// (further when seen ranges then join it) and those ids are rejected from now on. Returns the ranges of ids
    /// skipped that way, in increasing order, including any above <see cref="Highest"/>. On a tracker that has seen
    /// nothing it sets the start (nothing is reported skipped: there was no known hole).
    /// </summary>
    public IReadOnlyList<IdRange> Settle(long upTo)
    {
        if (!_hasAny)
        {
            _hasAny = true;
            _contiguous = upTo;
            _version++;
            return [];
        }

        if (upTo <= _contiguous)
        {
            return [];
        }

        var skipped = new List<IdRange>();
        var watermark = _contiguous;
        var consumed = 0;
        while (consumed < _count && watermark < upTo)
        {
            var run = RunAt(consumed);
            if (run.First > upTo)
            {
                break;
            }

            skipped.Add(new IdRange(watermark + 1, run.First - 1));
            watermark = run.Last;
            consumed++;
        }

        if (watermark < upTo)
        {
            skipped.Add(new IdRange(watermark + 1, upTo));
            watermark = upTo;
            if (consumed < _count && RunAt(consumed).First - 1 == upTo)
            {
                watermark = RunAt(consumed).Last;
                consumed++;
            }
        }

        RemoveFirst(consumed);
        _contiguous = watermark;
        _version++;
        return skipped;
    }

    /// <summary>An independent copy with the same state and bound.</summary>
    public SequenceTracker Clone()
    {
        var copy = new SequenceTracker(MaxRanges) { _hasAny = _hasAny, _contiguous = _contiguous, _count = _count };
        if (_count > 0)
        {
            copy._runs = new Run[_count];
            Array.Copy(_runs, _head, copy._runs, 0, _count);
        }

        return copy;
    }

    /// <summary>
    /// Writes the state (not <see cref="MaxRanges"/>) for a changelog or snapshot: a format version byte, a flags
    /// byte, then when anything was seen the watermark as a zigzag varint, the range count as a varint and per range
    /// its distance from the previous range's end (minus the mandatory gap of 2) and its length minus one as varints.
    /// A burst of consecutive ids above a hole costs two small varints. The encoding is canonical: equal states write
    /// equal bytes.
    /// </summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var header = writer.GetSpan(2);
        header[0] = FormatVersion;
        header[1] = _hasAny ? HasAnyFlag : (byte)0;
        writer.Advance(2);
        if (!_hasAny)
        {
            return;
        }

        WriteVarint(writer, ZigZagEncode(_contiguous));
        WriteVarint(writer, (ulong)_count);
        var previous = _contiguous;
        for (var i = 0; i < _count; i++)
        {
            var run = RunAt(i);
            WriteVarint(writer, unchecked((ulong)run.First - (ulong)previous - 2));
            WriteVarint(writer, unchecked((ulong)run.Last - (ulong)run.First));
            previous = run.Last;
        }
    }

    /// <summary><see cref="WriteTo"/> into a new array.</summary>
    public byte[] ToBytes()
    {
        var writer = new ArrayBufferWriter<byte>(16);
        WriteTo(writer);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads what <see cref="WriteTo"/> wrote. A state with more ranges than <paramref name="maxRanges"/> (the bound
    /// was lowered) is kept as read; each accepted id then settles one hole until the bound holds again.
    /// </summary>
    /// <exception cref="SequenceTrackerFormatException">The input is truncated, has trailing bytes, an unknown version or flags, a malformed varint, or ranges beyond the int64 range.</exception>
    public static SequenceTracker ReadFrom(ReadOnlySpan<byte> data, int maxRanges = DefaultMaxRanges)
    {
        var tracker = new SequenceTracker(maxRanges);
        var reader = new Reader(data);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"unknown format version {version}"));
        }

        var flags = reader.ReadByte();
        if ((flags & ~HasAnyFlag) != 0)
        {
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"unknown flags 0x{flags:X2}"));
        }

        if (flags == HasAnyFlag)
        {
            tracker._hasAny = true;
            tracker._contiguous = ZigZagDecode(reader.ReadVarint());
            var count = reader.ReadVarint();
            if (count > (ulong)(reader.Remaining / 2))
            {
                throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"{count} ranges cannot fit in the {reader.Remaining} bytes left"));
            }

            tracker._runs = new Run[(int)count];
            var previous = tracker._contiguous;
            for (var i = 0; i < (int)count; i++)
            {
                var gap = reader.ReadVarint();
                var room = unchecked((ulong)long.MaxValue - (ulong)previous);
                if (room < 2 || gap > room - 2)
                {
                    throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"range {i} starts beyond the int64 range"));
                }

                var first = unchecked((long)((ulong)previous + 2 + gap));
                var length = reader.ReadVarint();
                if (length > unchecked((ulong)long.MaxValue - (ulong)first))
                {
                    throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"range {i} ends beyond the int64 range"));
                }

                var last = unchecked((long)((ulong)first + length));
                tracker._runs[i] = new Run(first, last);
                previous = last;
            }

            tracker._count = (int)count;
        }

        if (reader.Remaining != 0)
        {
            throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"{reader.Remaining} trailing bytes"));
        }

        return tracker;
    }

    /// <summary>Same seen/settled ids (watermark and ranges); <see cref="MaxRanges"/> is configuration and not compared.</summary>
    public bool Equals(SequenceTracker? other)
    {
        if (other is null)
        {
            return false;
        }

        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (_hasAny != other._hasAny || _contiguous != other._contiguous || _count != other._count)
        {
            return false;
        }

        for (var i = 0; i < _count; i++)
        {
            if (RunAt(i) != other.RunAt(i))
            {
                return false;
            }
        }

        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as SequenceTracker);

    /// <summary>Hashes the current state: do not mutate a tracker while it is a dictionary key.</summary>
    public override int GetHashCode() => HashCode.Combine(_hasAny, _contiguous, _count, _count > 0 ? RunAt(_count - 1).Last : 0);

    /// <summary>E.g. <c>SequenceTracker { contiguous 105, ranges [108..110, 115], holes [106..107, 111..114] }</c>.</summary>
    public override string ToString()
    {
        if (!_hasAny)
        {
            return "SequenceTracker { nothing seen }";
        }

        var text = new StringBuilder("SequenceTracker { contiguous ");
        text.Append(_contiguous.ToString(CultureInfo.InvariantCulture));
        if (_count > 0)
        {
            AppendList(text, ", ranges [", Ranges);
            AppendList(text, ", holes [", Holes);
        }

        return text.Append(" }").ToString();
    }

    private void AppendList(StringBuilder text, string label, IEnumerable<IdRange> ranges)
    {
        text.Append(label);
        var shown = 0;
        foreach (var range in ranges)
        {
            if (shown == ToStringRangeLimit)
            {
                text.Append(CultureInfo.InvariantCulture, $", … +{_count - shown} more");
                break;
            }

            text.Append(shown == 0 ? string.Empty : ", ").Append(range.ToString());
            shown++;
        }

        text.Append(']');
    }

    /// <summary>Records <paramref name="id"/> (above the watermark); false when a range already holds it.</summary>
    private bool Insert(long id)
    {
        if (_count == 0)
        {
            if (id - 1 == _contiguous)
            {
                _contiguous = id;
            }
            else
            {
                InsertAt(0, id);
            }

            return true;
        }

        // The common case: ids in order above every range.
        ref var last = ref _runs[_head + _count - 1];
        if (id > last.Last)
        {
            if (id - 1 == last.Last)
            {
                last.Last = id;
            }
            else
            {
                InsertAt(_count, id);
            }

            return true;
        }

        var index = UpperBound(id);
        if (index > 0 && RunAt(index - 1).Last >= id)
        {
            return false;
        }

        var joinsRight = index < _count && RunAt(index).First - 1 == id;
        if (index == 0)
        {
            if (id - 1 == _contiguous)
            {
                // Fills the hole right above the watermark.
                if (joinsRight)
                {
                    _contiguous = RunAt(0).Last;
                    RemoveFirst(1);
                }
                else
                {
                    _contiguous = id;
                }
            }
            else if (joinsRight)
            {
                _runs[_head].First = id;
            }
            else
            {
                InsertAt(0, id);
            }

            return true;
        }

        ref var left = ref _runs[_head + index - 1];
        var joinsLeft = left.Last == id - 1;
        if (joinsLeft && joinsRight)
        {
            left.Last = RunAt(index).Last;
            RemoveAt(index);
        }
        else if (joinsLeft)
        {
            left.Last = id;
        }
        else if (joinsRight)
        {
            _runs[_head + index].First = id;
        }
        else
        {
            InsertAt(index, id);
        }

        return true;
    }

    private IdRange SettleOldestHole()
    {
        var oldest = RunAt(0);
        var hole = new IdRange(_contiguous + 1, oldest.First - 1);
        _contiguous = oldest.Last;
        RemoveFirst(1);
        return hole;
    }

    /// <summary>The index of the first range starting above <paramref name="id"/> (<see cref="_count"/> when none does).</summary>
    private int UpperBound(long id)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = low + ((high - low) >> 1);
            if (RunAt(middle).First > id)
            {
                high = middle;
            }
            else
            {
                low = middle + 1;
            }
        }

        return low;
    }

    private Run RunAt(int index) => _runs[_head + index];

    private void InsertAt(int index, long id)
    {
        if (index == 0 && _head > 0)
        {
            _head--;
        }
        else
        {
            if (_head + _count == _runs.Length)
            {
                MakeRoomAtTail();
            }

            Array.Copy(_runs, _head + index, _runs, _head + index + 1, _count - index);
        }

        _runs[_head + index] = new Run(id, id);
        _count++;
    }

    private void MakeRoomAtTail()
    {
        if (_head > 0 && _count <= _runs.Length / 2)
        {
            Array.Copy(_runs, _head, _runs, 0, _count);
        }
        else
        {
            var grown = new Run[Math.Max(4, _runs.Length * 2)];
            Array.Copy(_runs, _head, grown, 0, _count);
            _runs = grown;
        }

        _head = 0;
    }

    private void RemoveAt(int index)
    {
        Array.Copy(_runs, _head + index + 1, _runs, _head + index, _count - index - 1);
        _count--;
    }

    private void RemoveFirst(int removed)
    {
        _head += removed;
        _count -= removed;
        if (_count == 0)
        {
            _head = 0;
        }
    }

    private IEnumerable<IdRange> EnumerateRanges()
    {
        var version = _version;
        for (var i = 0; ; i++)
        {
            ThrowIfModified(version);
            if (i == _count)
            {
                yield break;
            }

            var run = RunAt(i);
            yield return new IdRange(run.First, run.Last);
        }
    }

    private IEnumerable<IdRange> EnumerateHoles()
    {
        var version = _version;
        var previous = _contiguous;
        for (var i = 0; ; i++)
        {
            ThrowIfModified(version);
            if (i == _count)
            {
                yield break;
            }

            var run = RunAt(i);
            yield return new IdRange(previous + 1, run.First - 1);
            previous = run.Last;
        }
    }

    private void ThrowIfModified(int version)
    {
        if (version != _version)
        {
            throw new InvalidOperationException("The tracker changed during enumeration.");
        }
    }

    private static ulong ZigZagEncode(long value) => unchecked((ulong)((value << 1) ^ (value >> 63)));

    private static long ZigZagDecode(ulong value) => unchecked((long)(value >> 1) ^ -(long)(value & 1));

    private static void WriteVarint(IBufferWriter<byte> writer, ulong value)
    {
        var span = writer.GetSpan(MaxVarintLength);
        var length = 0;
        while (value >= 0x80)
        {
            span[length++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[length++] = (byte)value;
        writer.Advance(length);
    }

    private static SequenceTrackerFormatException Corrupt(string reason) => new($"Corrupt sequence tracker state: {reason}.");

    private record struct Run(long First, long Last);

    private ref struct Reader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public readonly int Remaining => _data.Length - _position;

        public byte ReadByte()
        {
            if (_position >= _data.Length)
            {
                throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"truncated at byte {_position}"));
            }

            return _data[_position++];
        }

        /// <summary>A canonical LEB128 varint: at most 10 bytes, no redundant trailing zero byte, no bits beyond 64.</summary>
        public ulong ReadVarint()
        {
            var start = _position;
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var current = ReadByte();
                var payload = (ulong)(current & 0x7F);
                if (shift == 63 && payload > 1)
                {
                    throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"varint at byte {start} exceeds 64 bits"));
                }

                value |= payload << shift;
                if ((current & 0x80) == 0)
                {
                    if (current == 0 && shift > 0)
                    {
                        throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"varint at byte {start} is not minimally encoded"));
                    }

                    return value;
                }

                if (shift == 63)
                {
                    throw Corrupt(string.Create(CultureInfo.InvariantCulture, $"varint at byte {start} is longer than 10 bytes"));
                }
            }
        }
    }
}
