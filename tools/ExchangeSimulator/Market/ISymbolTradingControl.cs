namespace ExchangeSimulator.Market;

/// <summary>
/// An <see cref="IMarketSource"/> that can stop one symbol's generation and resume it later (the seeded
/// <see cref="MarketSimulator"/>): a delisted symbol then produces nothing, and when it trades again its ids continue
/// where they stopped. A source without it (a recording) keeps producing, and <c>Rest.SimulatedMarket</c> drops the
/// events of symbols that do not trade. Not thread-safe: called between two advances, under the market's lock.
/// </summary>
public interface ISymbolTradingControl
{
    /// <summary>From <see cref="IMarketSource.NowUs"/> on, <paramref name="symbol"/> produces no event. Idempotent.</summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    void StopTrading(string symbol);

    /// <summary>
    /// <paramref name="symbol"/> trades again from <see cref="IMarketSource.NowUs"/> on, as it would have from where it stopped:
    /// its pending timers move by the time it was stopped. Idempotent.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such symbol.</exception>
    void ResumeTrading(string symbol);
}
