namespace ExchangeSimulator.Market;

/// <summary>
/// xoshiro256** seeded through SplitMix64: a generator whose sequence is fixed by this code, not by
/// the runtime (System.Random's algorithm is an implementation detail), so a seed means the same
/// market on every .NET version. Each symbol owns one, derived from (seed, symbol index), so a
/// symbol's history does not depend on how many other symbols are simulated.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public DeterministicRandom(int seed, int stream)
    {
        var mix = ((ulong)(uint)seed << 32) ^ (uint)stream ^ 0x9E3779B97F4A7C15UL;
        _s0 = SplitMix(ref mix);
        _s1 = SplitMix(ref mix);
        _s2 = SplitMix(ref mix);
        _s3 = SplitMix(ref mix);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1), 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public long NextInt64(long min, long max) => min + (long)(NextUInt64() % (ulong)(max - min));

    public bool NextBool(double probabilityOfTrue) => NextDouble() < probabilityOfTrue;

    /// <summary>Exponential with the given mean: waiting times of a Poisson process.</summary>
    public double NextExponential(double mean) => -mean * Math.Log(1.0 - NextDouble());

    /// <summary>Standard normal (Box-Muller; one value per call keeps the stream simple to reason about).</summary>
    public double NextNormal()
    {
        var u1 = 1.0 - NextDouble();
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>Geometric count >= 1 with the given mean (>= 1).</summary>
    public int NextGeometric(double mean)
    {
        var p = 1.0 / mean;
        var count = 1;
        while (count < 1000 && NextDouble() >= p)
        {
            count++;
        }

        return count;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
