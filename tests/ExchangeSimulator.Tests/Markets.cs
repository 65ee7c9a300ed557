using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests;

/// <summary>Small fixed-seed markets the tests share.</summary>
internal static class Markets
{
    public static MarketOptions Small(int seed, MarketFlavor flavor = MarketFlavor.Spot) => new()
    {
        Seed = seed,
        Flavor = flavor,
        SymbolCount = 20,
        TradesPerSecond = 200,
    };

    /// <summary>Runs <paramref name="options"/> for <paramref name="duration"/> and returns everything generated.</summary>
    public static (MarketSimulator Market, RecordingListener Events) Run(MarketOptions options, TimeSpan duration)
    {
        var market = new MarketSimulator(options);
        var events = new RecordingListener();
        market.AdvanceTo(options.Start + duration, events);
        return (market, events);
    }
}
