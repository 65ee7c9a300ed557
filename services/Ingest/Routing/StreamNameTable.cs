using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace Ingest.Routing;

/// <summary>
/// Turns the UTF-8 bytes of a stream name or symbol (a <see cref="FrameRoute"/> range) into the one cached
/// <see cref="string"/> for it, without allocating: the receive loop needs a string key per message for
/// Kafka and the sequencers, and allocating one per frame would dominate its garbage. Names are registered
/// up front from the subscription plan; an unknown name is reported (return false) rather than added, so a
/// misrouted or hostile frame cannot grow the table. Register before sharing; lookups are then safe from
/// several threads because nothing mutates the set.
/// </summary>
public sealed class StreamNameTable
{
    /// <summary>Longest name looked up (decoded on the stack); Binance stream names are far shorter.</summary>
    public const int MaxNameLength = 256;

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StreamNameTable()
    {
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _names.Count;

    /// <summary>Adds a name; returns the instance lookups will hand out (the first one registered).</summary>
    public string Register(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, MaxNameLength, nameof(name));
        if (_names.TryGetValue(name, out var existing))
        {
            return existing;
        }

        _names.Add(name);
        return name;
    }

    /// <summary>The registered string equal to <paramref name="utf8"/>; false for unknown, too long or invalid UTF-8.</summary>
    public bool TryGet(ReadOnlySpan<byte> utf8, [NotNullWhen(true)] out string? name)
    {
        name = null;
        if (utf8.IsEmpty || utf8.Length > MaxNameLength)
        {
            return false;
        }

        Span<char> chars = stackalloc char[MaxNameLength];
        if (Utf8.ToUtf16(utf8, chars, out _, out var written, replaceInvalidSequences: false) != System.Buffers.OperationStatus.Done)
        {
            return false;
        }

        return _lookup.TryGetValue(chars[..written], out name);
    }
}
