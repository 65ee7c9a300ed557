namespace Ingest.Sharding;

/// <summary>
/// A 64-bit hash that is the same in every process, version and machine, which pod assignment needs because
/// all pods must agree on owners without talking (string.GetHashCode is randomized per process). FNV-1a over
/// the ASCII-uppercased symbol (so <c>btcusdt</c> and <c>BTCUSDT</c> agree), then a SplitMix64 finalizer:
/// FNV alone mixes its last bytes poorly, and symbols differ mostly in a few bytes.
/// </summary>
internal static class StableHash
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    public static ulong Symbol(ReadOnlySpan<char> symbol)
    {
        var hash = FnvOffset;
        foreach (var c in symbol)
        {
            var folded = c is >= 'a' and <= 'z' ? (char)(c - 32) : c;
            hash = (hash ^ (byte)folded) * FnvPrime;
            if (folded > 0xFF)
            {
                hash = (hash ^ (byte)(folded >> 8)) * FnvPrime;
            }
        }

        return Mix(hash);
    }

    /// <summary>SplitMix64's finalizer: a bijective avalanche, so distinct inputs stay distinct.</summary>
    public static ulong Mix(ulong x)
    {
        x ^= x >> 30;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 27;
        x *= 0x94D049BB133111EBUL;
        x ^= x >> 31;
        return x;
    }
}
