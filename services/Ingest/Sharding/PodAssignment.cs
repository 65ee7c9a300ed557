namespace Ingest.Sharding;

/// <summary>
/// Which ingest pod owns a symbol: rendezvous (highest-random-weight) hashing, so every pod decides alone and
/// identically from its ordinal and the pod count, and scaling from N to N+1 pods moves only the ≈1/(N+1) of
/// symbols the new pod wins (a modulo would move almost all of them, and every move is a reconnect that
/// risks a gap).
/// </summary>
public sealed class PodAssignment
{
    public PodAssignment(int podIndex, int podCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(podCount);
        ArgumentOutOfRangeException.ThrowIfNegative(podIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(podIndex, podCount);
        PodIndex = podIndex;
        PodCount = podCount;
    }

    public int PodIndex { get; }

    public int PodCount { get; }

    public bool Owns(string symbol) => OwnerOf(symbol, PodCount) == PodIndex;

    /// <summary>The pod with the highest weight for the symbol; ties (practically impossible) go to the lower index.</summary>
    public static int OwnerOf(string symbol, int podCount)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(podCount);
        var symbolHash = StableHash.Symbol(symbol);
        var owner = 0;
        var best = 0UL;
        for (var pod = 0; pod < podCount; pod++)
        {
            var weight = Weight(symbolHash, pod);
            if (pod == 0 || weight > best)
            {
                best = weight;
                owner = pod;
            }
        }

        return owner;
    }

    /// <summary>
    /// The ordinal of a StatefulSet pod from its host name: <c>ingest-3</c> → 3, also as the first label of
    /// <c>ingest-3.ingest.ns.svc.cluster.local</c>. False for anything else, so a misconfigured deployment
    /// fails loudly instead of every pod claiming ordinal 0.
    /// </summary>
    public static bool TryParseOrdinal(string hostName, out int ordinal)
    {
        ordinal = 0;
        if (string.IsNullOrEmpty(hostName))
        {
            return false;
        }

        var label = hostName.AsSpan();
        var dot = label.IndexOf('.');
        if (dot >= 0)
        {
            label = label[..dot];
        }

        var dash = label.LastIndexOf('-');
        if (dash <= 0 || dash == label.Length - 1)
        {
            return false;
        }

        var digits = label[(dash + 1)..];
        foreach (var c in digits)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ordinal);
    }

    private static ulong Weight(ulong symbolHash, int pod) => StableHash.Mix(symbolHash ^ StableHash.Mix(0x9E3779B97F4A7C15UL * (ulong)(pod + 1)));
}
