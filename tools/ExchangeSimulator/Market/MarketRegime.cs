namespace ExchangeSimulator.Market;

/// <summary>
/// A symbol's activity state, a Markov chain: normal trading is interrupted by short bursts
/// (news, liquidations: several times the rate, one-sided flow) and longer quiet spells.
/// </summary>
internal enum MarketRegime
{
    Normal,
    Burst,
    Quiet,
}

internal static class MarketRegimes
{
    public static double RateMultiplier(this MarketRegime regime) => regime switch
    {
        MarketRegime.Burst => 6,
        MarketRegime.Quiet => 0.15,
        _ => 1,
    };

    public static double MeanDurationSeconds(this MarketRegime regime) => regime switch
    {
        MarketRegime.Burst => 30,
        MarketRegime.Quiet => 180,
        _ => 300,
    };

    /// <summary>Mean fills per aggregate trade: bursts sweep more resting orders per taker order.</summary>
    public static double MeanFillsPerTrade(this MarketRegime regime) => regime == MarketRegime.Burst ? 4 : 1.6;

    /// <summary>Normal goes to a burst 30 % of the time, else quiet; bursts and quiet spells return to normal.</summary>
    public static MarketRegime Next(this MarketRegime regime, DeterministicRandom random) =>
        regime != MarketRegime.Normal ? MarketRegime.Normal
        : random.NextBool(0.3) ? MarketRegime.Burst
        : MarketRegime.Quiet;
}
