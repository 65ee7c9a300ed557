using System.Globalization;

namespace Streaming.Processing.Idempotence;

/// <summary>An inclusive range of record ids: <see cref="First"/> ≤ <see cref="Last"/>.</summary>
public readonly record struct IdRange
{
    public IdRange(long first, long last)
    {
        if (last < first)
        {
            throw new ArgumentOutOfRangeException(nameof(last), last, string.Create(CultureInfo.InvariantCulture, $"The range's last id must not be below its first ({first})."));
        }

        First = first;
        Last = last;
    }

    public long First { get; }

    public long Last { get; }

    /// <summary>How many ids the range holds (saturates at <see cref="ulong.MaxValue"/> for the whole int64 range).</summary>
    public ulong Count
    {
        get
        {
            var span = unchecked((ulong)Last - (ulong)First);
            return span == ulong.MaxValue ? span : span + 1;
        }
    }

    public bool Contains(long id) => id >= First && id <= Last;

    /// <summary><c>7</c> for a single id, <c>7..9</c> otherwise.</summary>
    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{First}..{Last}");
}
