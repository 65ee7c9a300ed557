namespace Ingest.Rest;

/// <summary>
/// Exponential backoff with full jitter: attempt n waits a uniformly random time between <c>min</c> and
/// <c>min(max, min × factor^n)</c>. The jitter spreads the retries of many callers that failed together (a region
/// blip hits every backfill at once) instead of sending them back in lock-step; the floor keeps a retry from
/// going out immediately. One instance per retrying operation: not thread-safe. Tests pass a seeded
/// <see cref="Random"/> to get the same delays every run.
/// </summary>
internal sealed class Backoff
{
    private readonly Random _random;
    private int _attempt;

    /// <param name="min">The shortest delay, and the ceiling of the first one.</param>
    /// <param name="max">The longest delay.</param>
    /// <param name="factor">Growth of the ceiling per attempt (at least 1).</param>
    /// <param name="random">Source of the jitter; <see cref="Random.Shared"/> when null.</param>
    public Backoff(TimeSpan min, TimeSpan max, double factor = 2, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        if (!(factor >= 1) || double.IsInfinity(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Factor must be finite and at least 1.");
        }

        Min = min;
        Max = max;
        Factor = factor;
        _random = random ?? Random.Shared;
    }

    public TimeSpan Min { get; }

    public TimeSpan Max { get; }

    public double Factor { get; }

    /// <summary>Delays handed out since construction or the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    /// <summary>The delay before the next retry; each call raises the ceiling by <see cref="Factor"/> up to <see cref="Max"/>.</summary>
    public TimeSpan Next()
    {
        var ceiling = Ceiling(_attempt);
        if (_attempt < int.MaxValue)
        {
            _attempt++;
        }

        var spread = ceiling.Ticks - Min.Ticks;
        return spread <= 0 ? Min : TimeSpan.FromTicks(Min.Ticks + (long)(_random.NextDouble() * spread));
    }

    /// <summary>After a success: the next failure starts again from <see cref="Min"/>.</summary>
    public void Reset() => _attempt = 0;

    /// <summary>The upper bound of the delay of <paramref name="attempt"/> (0-based): min × factor^attempt, capped at max.</summary>
    internal TimeSpan Ceiling(int attempt)
    {
        var ticks = Min.Ticks * Math.Pow(Factor, attempt);
        return double.IsFinite(ticks) && ticks < Max.Ticks ? TimeSpan.FromTicks((long)ticks) : Max;
    }
}
