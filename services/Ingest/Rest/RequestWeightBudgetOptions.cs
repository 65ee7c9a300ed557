namespace Ingest.Rest;

/// <summary>
/// How much of the IP's <c>REQUEST_WEIGHT</c> minute one ingest pod may spend. Binance counts per IP, not per
/// API key (<c>shared/BINANCE.md</c> 1.4), and other callers (a second pod behind the same NAT, an operator's
/// curl, a clock skewed a few seconds from Binance's) spend from the same minute, so the pod keeps well under
/// the exchange's figure instead of racing it to the 429.
/// </summary>
internal sealed record RequestWeightBudgetOptions
{
    /// <summary>The exchange's limit per minute: 6000 on Spot (enums.md example); USD-M futures documents 2400.</summary>
    public int ExchangeWeightPerMinute { get; init; } = 6000;

    /// <summary>
    /// Fraction of <see cref="ExchangeWeightPerMinute"/> this pod may use (0..1]. At 0.5 a local minute that
    /// starts a few seconds before Binance's still cannot push the server's window over its limit: the tail of
    /// the old minute and the start of the new one each stay within half.
    /// </summary>
    public double Share { get; init; } = 0.5;

    /// <summary>The pod's budget per minute: <see cref="ExchangeWeightPerMinute"/> × <see cref="Share"/>, rounded down.</summary>
    public int WeightPerMinute => (int)Math.Floor(ExchangeWeightPerMinute * Share);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ExchangeWeightPerMinute, nameof(ExchangeWeightPerMinute));
        if (!(Share > 0 && Share <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Share), Share, "Share must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WeightPerMinute, nameof(WeightPerMinute));
    }
}
