using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.State;

/// <summary>
/// The binary format of a task's local snapshot file. Every integer is little-endian.
/// <code>
///  offset  size  field
///       0     4  magic "SPSN"
///       4     4  format version (int32, 1)
///       8     8  total file length in bytes, checksum included (int64): tells a truncated file from a corrupt one
///      16     4  task partition (int32, ≥ 0)
///      20     8  owner epoch (int64)
///      28     4  store count (int32)
///      32        stores, each:
///                  name             int32 length + UTF-8
///                  changelog topic  int32 length + UTF-8
///                  partition        int32 (≥ 0)
///                  next offset      int64 (≥ 0)
///                  max epoch seen   int64
///                  entry count      int32
///                  entries, each:   int32 key length + key bytes, int32 value length + value bytes
///  len-32    32  SHA-256 of every byte before it
/// </code>
/// Decoding never throws on bad input: it validates the magic, the version, the length, the checksum and then every
/// length and count against the bytes that remain (so a corrupt length cannot make it allocate more than the file's
/// size), and says precisely what is wrong.
/// </summary>
internal static class SnapshotCodec
{
    public const int FormatVersion = 1;

    /// <summary>Magic, version, total length, task partition, owner epoch, store count.</summary>
    public const int HeaderSize = 32;

    public const int ChecksumSize = SHA256.HashSizeInBytes;

    /// <summary>The smallest valid file: a header with no stores and the checksum.</summary>
    public const int MinimumLength = HeaderSize + ChecksumSize;

    /// <summary>Offsets of the header fields, for tests that forge files.</summary>
    public const int VersionOffset = 4;
    public const int LengthOffset = 8;
    public const int PartitionOffset = 16;

    /// <summary>Name length, topic length, partition, next offset, max epoch, entry count.</summary>
    private const int MinimumStoreSize = 4 + 4 + 4 + 8 + 8 + 4;

    private const int MinimumEntrySize = 4 + 4;

    /// <summary>The write buffer; small snapshots rent only what they need.</summary>
    private const int MaxChunkSize = 64 * 1024;

    private static ReadOnlySpan<byte> Magic => "SPSN"u8;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// The encoded size of <paramref name="snapshot"/> in bytes, after checking that it can be encoded (and decoded):
    /// no null keys or values, non-negative partitions and offsets, distinct non-empty store names.
    /// </summary>
    /// <exception cref="ArgumentException">The snapshot cannot be encoded.</exception>
    public static long GetEncodedLength(TaskSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Task.Partition < 0)
        {
            throw new ArgumentException($"Task {snapshot.Task} has a negative partition", nameof(snapshot));
        }

        ArgumentNullException.ThrowIfNull(snapshot.Stores, nameof(snapshot));
        long length = HeaderSize + ChecksumSize;
        var stores = snapshot.Stores;
        for (var s = 0; s < stores.Count; s++)
        {
            var store = stores[s] ?? throw new ArgumentException($"Store #{s} of task {snapshot.Task} is null", nameof(snapshot));
            if (string.IsNullOrEmpty(store.StoreName))
            {
                throw new ArgumentException($"Store #{s} of task {snapshot.Task} has no name", nameof(snapshot));
            }

            if (string.IsNullOrEmpty(store.ChangelogTopic))
            {
                throw new ArgumentException($"Store '{store.StoreName}' has no changelog topic", nameof(snapshot));
            }

            if (store.Partition < 0 || store.NextOffset < 0)
            {
                throw new ArgumentException(
                    $"Store '{store.StoreName}' has a negative partition ({store.Partition}) or next offset ({store.NextOffset})",
                    nameof(snapshot));
            }

            for (var other = 0; other < s; other++)
            {
                if (string.Equals(stores[other].StoreName, store.StoreName, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"Store '{store.StoreName}' appears twice in task {snapshot.Task}", nameof(snapshot));
                }
            }

            length += MinimumStoreSize
                + StrictUtf8.GetByteCount(store.StoreName)
                + StrictUtf8.GetByteCount(store.ChangelogTopic);
            var entries = store.Entries
                ?? throw new ArgumentException($"Store '{store.StoreName}' has null entries", nameof(snapshot));
            for (var e = 0; e < entries.Count; e++)
            {
                var (key, value) = entries[e];
                if (key is null || value is null)
                {
                    throw new ArgumentException($"Entry #{e} of store '{store.StoreName}' has a null key or value", nameof(snapshot));
                }

                length += MinimumEntrySize + key.Length + value.Length;
            }
        }

        // Load reads the file into one array.
        if (length > Array.MaxLength)
        {
            throw new ArgumentException(
                $"The snapshot of task {snapshot.Task} would be {length} bytes, more than one file can hold ({Array.MaxLength})",
                nameof(snapshot));
        }

        return length;
    }

    /// <summary>Encodes into a new array (tests, small snapshots).</summary>
    public static byte[] Encode(TaskSnapshot snapshot)
    {
        var length = GetEncodedLength(snapshot);
        using var stream = new MemoryStream((int)length);
        Encode(snapshot, stream, length);
        return stream.ToArray();
    }

    /// <summary>
    /// Writes <paramref name="snapshot"/> to <paramref name="destination"/> through one pooled buffer (at most 64 KiB),
    /// hashing as it goes. <paramref name="encodedLength"/> is <see cref="GetEncodedLength"/>'s result.
    /// </summary>
    public static void Encode(TaskSnapshot snapshot, Stream destination, long encodedLength)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(destination);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(encodedLength, MaxChunkSize));
        var writer = new ChunkWriter(destination, buffer);
        try
        {
            writer.WriteBytes(Magic);
            writer.WriteInt32(FormatVersion);
            writer.WriteInt64(encodedLength);
            writer.WriteInt32(snapshot.Task.Partition);
            writer.WriteInt64(snapshot.OwnerEpoch);
            writer.WriteInt32(snapshot.Stores.Count);
            for (var s = 0; s < snapshot.Stores.Count; s++)
            {
                var store = snapshot.Stores[s];
                writer.WriteString(store.StoreName);
                writer.WriteString(store.ChangelogTopic);
                writer.WriteInt32(store.Partition);
                writer.WriteInt64(store.NextOffset);
                writer.WriteInt64(store.MaxEpochSeen);
                var entries = store.Entries;
                writer.WriteInt32(entries.Count);
                for (var e = 0; e < entries.Count; e++)
                {
                    var (key, value) = entries[e];
                    writer.WriteInt32(key.Length);
                    writer.WriteBytes(key);
                    writer.WriteInt32(value.Length);
                    writer.WriteBytes(value);
                }
            }

            var written = writer.Finish();
            if (written != encodedLength)
            {
                // The snapshot changed between GetEncodedLength and Encode (a store mutated its entries list).
                throw new InvalidOperationException(
                    $"The snapshot of task {snapshot.Task} was {written} bytes, {encodedLength} expected: was it modified while being saved?");
            }
        }
        finally
        {
            writer.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Decodes a snapshot file's bytes; on failure, <paramref name="reason"/> says what is wrong (e.g. "checksum mismatch").</summary>
    public static bool TryDecode(
        ReadOnlySpan<byte> data,
        [NotNullWhen(true)] out TaskSnapshot? snapshot,
        [NotNullWhen(false)] out string? reason)
    {
        snapshot = null;
        if (data.IsEmpty)
        {
            reason = "truncated: empty file";
            return false;
        }

        var magicLength = Math.Min(data.Length, Magic.Length);
        if (!data[..magicLength].SequenceEqual(Magic[..magicLength]))
        {
            reason = "bad magic: not a snapshot file";
            return false;
        }

        if (data.Length < LengthOffset + 8)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"truncated: {data.Length} bytes, shorter than the header");
            return false;
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(data[VersionOffset..]);
        if (version != FormatVersion)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"unknown format version {version}");
            return false;
        }

        var declared = BinaryPrimitives.ReadInt64LittleEndian(data[LengthOffset..]);
        if (declared > data.Length)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"truncated: the header says {declared} bytes, the file has {data.Length}");
            return false;
        }

        if (declared < data.Length)
        {
            reason = declared < MinimumLength
                ? string.Create(CultureInfo.InvariantCulture, $"invalid length {declared} in the header (a snapshot has at least {MinimumLength} bytes)")
                : string.Create(CultureInfo.InvariantCulture, $"{data.Length - declared} unexpected bytes after the declared length {declared}");
            return false;
        }

        if (data.Length < MinimumLength)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"truncated: {data.Length} bytes, a snapshot has at least {MinimumLength}");
            return false;
        }

        var content = data[..^ChecksumSize];
        Span<byte> digest = stackalloc byte[ChecksumSize];
        SHA256.HashData(content, digest);
        if (!CryptographicOperations.FixedTimeEquals(digest, data[^ChecksumSize..]))
        {
            reason = "checksum mismatch";
            return false;
        }

        // The checksum matches: what follows only fails for a file written by a faulty (or foreign) encoder.
        var reader = new SpanReader(content[PartitionOffset..]);
        var partition = reader.ReadInt32();
        var ownerEpoch = reader.ReadInt64();
        var storeCount = reader.ReadInt32();
        if (partition < 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"negative task partition {partition}");
            return false;
        }

        if (storeCount < 0 || storeCount > reader.Remaining / MinimumStoreSize)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"store count {storeCount} does not fit in the remaining {reader.Remaining} bytes");
            return false;
        }

        var stores = new StoreSnapshot[storeCount];
        for (var s = 0; s < storeCount; s++)
        {
            if (!TryReadStore(ref reader, s, stores, out reason))
            {
                return false;
            }
        }

        if (reader.Remaining != 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{reader.Remaining} unparsed bytes after the last store");
            return false;
        }

        snapshot = new TaskSnapshot(new TaskId(partition), ownerEpoch, stores);
        reason = null;
        return true;
    }

    private static bool TryReadStore(ref SpanReader reader, int index, StoreSnapshot[] stores, [NotNullWhen(false)] out string? reason)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"store #{index}");
        if (reader.Remaining < MinimumStoreSize)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: {reader.Remaining} bytes left, a store takes at least {MinimumStoreSize}");
            return false;
        }

        if (!TryReadString(ref reader, where, "name", out var name, out reason))
        {
            return false;
        }

        where = string.Create(CultureInfo.InvariantCulture, $"store '{name}'");
        if (name.Length == 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"store #{index}: empty name");
            return false;
        }

        for (var other = 0; other < index; other++)
        {
            if (string.Equals(stores[other].StoreName, name, StringComparison.Ordinal))
            {
                reason = string.Create(CultureInfo.InvariantCulture, $"{where} appears twice");
                return false;
            }
        }

        if (!TryReadString(ref reader, where, "changelog topic", out var topic, out reason))
        {
            return false;
        }

        if (reader.Remaining < 4 + 8 + 8 + 4)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: {reader.Remaining} bytes left, the store's positions take {4 + 8 + 8 + 4}");
            return false;
        }

        var partition = reader.ReadInt32();
        var nextOffset = reader.ReadInt64();
        var maxEpochSeen = reader.ReadInt64();
        var entryCount = reader.ReadInt32();
        if (topic.Length == 0 || partition < 0 || nextOffset < 0)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: invalid changelog position '{topic}'[{partition}]@{nextOffset}");
            return false;
        }

        if (entryCount < 0 || entryCount > reader.Remaining / MinimumEntrySize)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: entry count {entryCount} does not fit in the remaining {reader.Remaining} bytes");
            return false;
        }

        var entries = new KeyValuePair<byte[], byte[]>[entryCount];
        for (var e = 0; e < entryCount; e++)
        {
            if (!TryReadBytes(ref reader, where, e, "key", out var key, out reason)
                || !TryReadBytes(ref reader, where, e, "value", out var value, out reason))
            {
                return false;
            }

            entries[e] = new KeyValuePair<byte[], byte[]>(key, value);
        }

        stores[index] = new StoreSnapshot(name, topic, partition, nextOffset, maxEpochSeen, entries);
        reason = null;
        return true;
    }

    private static bool TryReadString(
        ref SpanReader reader, string where, string field,
        [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? reason)
    {
        value = null;
        if (!TryReadLength(ref reader, out var length, out var span))
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: {field} length {length} exceeds the remaining {reader.Remaining} bytes");
            return false;
        }

        try
        {
            value = StrictUtf8.GetString(span);
        }
        catch (DecoderFallbackException)
        {
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: {field} is not valid UTF-8");
            return false;
        }

        reason = null;
        return true;
    }

    private static bool TryReadBytes(
        ref SpanReader reader, string where, int entry, string field,
        [NotNullWhen(true)] out byte[]? value, [NotNullWhen(false)] out string? reason)
    {
        if (!TryReadLength(ref reader, out var length, out var span))
        {
            value = null;
            reason = string.Create(CultureInfo.InvariantCulture, $"{where}: entry #{entry} {field} length {length} exceeds the remaining {reader.Remaining} bytes");
            return false;
        }

        value = span.ToArray();
        reason = null;
        return true;
    }

    /// <summary>Reads a length prefix and the bytes it announces, if they are there.</summary>
    private static bool TryReadLength(ref SpanReader reader, out int length, out ReadOnlySpan<byte> bytes)
    {
        bytes = default;
        if (reader.Remaining < 4)
        {
            length = -1;
            return false;
        }

        length = reader.ReadInt32();
        if (length < 0 || length > reader.Remaining)
        {
            return false;
        }

        bytes = reader.Read(length);
        return true;
    }

    /// <summary>Sequential little-endian reads; callers check <see cref="Remaining"/> first.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private ReadOnlySpan<byte> _data = data;

        public readonly int Remaining => _data.Length;

        public int ReadInt32()
        {
            var value = BinaryPrimitives.ReadInt32LittleEndian(_data);
            _data = _data[4..];
            return value;
        }

        public long ReadInt64()
        {
            var value = BinaryPrimitives.ReadInt64LittleEndian(_data);
            _data = _data[8..];
            return value;
        }

        public ReadOnlySpan<byte> Read(int length)
        {
            var value = _data[..length];
            _data = _data[length..];
            return value;
        }
    }

    /// <summary>
    /// Buffers writes in one rented array, hashing and writing it out when full. A snapshot that fits in the buffer is
    /// hashed in one call and written in one write, without any allocation.
    /// </summary>
    private ref struct ChunkWriter(Stream destination, byte[] buffer)
    {
        private readonly Stream _destination = destination;
        private readonly byte[] _buffer = buffer;
        private int _position;
        private long _flushed;
        private IncrementalHash? _hash;

        public void WriteInt32(int value)
        {
            Reserve(4);
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_position), value);
            _position += 4;
        }

        public void WriteInt64(long value)
        {
            Reserve(8);
            BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_position), value);
            _position += 8;
        }

        public void WriteString(string value)
        {
            var length = StrictUtf8.GetByteCount(value);
            WriteInt32(length);
            if (length <= _buffer.Length)
            {
                Reserve(length);
                _position += StrictUtf8.GetBytes(value, _buffer.AsSpan(_position));
            }
            else
            {
                WriteBytes(StrictUtf8.GetBytes(value));
            }
        }

        public void WriteBytes(ReadOnlySpan<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_position == _buffer.Length)
                {
                    Flush();
                }

                var count = Math.Min(bytes.Length, _buffer.Length - _position);
                bytes[..count].CopyTo(_buffer.AsSpan(_position));
                _position += count;
                bytes = bytes[count..];
            }
        }

        /// <summary>Appends the checksum and writes everything out; returns the total bytes written.</summary>
        public long Finish()
        {
            Span<byte> digest = stackalloc byte[ChecksumSize];
            var pending = _buffer.AsSpan(0, _position);
            if (_hash is null)
            {
                SHA256.HashData(pending, digest);
            }
            else
            {
                _hash.AppendData(pending);
                _hash.GetHashAndReset(digest);
            }

            if (_buffer.Length - _position < ChecksumSize)
            {
                WriteOut();
            }

            digest.CopyTo(_buffer.AsSpan(_position));
            _position += ChecksumSize;
            WriteOut();
            return _flushed;
        }

        public readonly void Dispose() => _hash?.Dispose();

        private void Reserve(int count)
        {
            if (_buffer.Length - _position < count)
            {
                Flush();
            }
        }

        /// <summary>Hashes the buffered bytes and writes them out.</summary>
        private void Flush()
        {
            _hash ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            _hash.AppendData(_buffer, 0, _position);
            WriteOut();
        }

        private void WriteOut()
        {
            _destination.Write(_buffer, 0, _position);
            _flushed += _position;
            _position = 0;
        }
    }
}
