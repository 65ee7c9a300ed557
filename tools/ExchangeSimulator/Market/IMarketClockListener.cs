namespace ExchangeSimulator.Market;

/// <summary>A listener that also needs to know when simulated time has moved on without events (to fire its timers).</summary>
public interface IMarketClockListener
{
    /// <summary>Every event at or before <paramref name="timeUs"/> has been delivered.</summary>
    void AdvanceTime(long timeUs);
}
