using ExchangeSimulator.Market;

namespace ExchangeSimulator.Replay;

/// <summary>Everything <see cref="RecordingLoader"/> read, in replay order and already time-shifted: the state a <see cref="RecordingSource"/> starts from.</summary>
internal sealed record LoadedRecording
{
    public required MarketFlavor Flavor { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    public required IReadOnlyList<SymbolSpec> Symbols { get; init; }

    public required ReplayEvent[] Events { get; init; }

    public required long StartUs { get; init; }

    public required long EndUs { get; init; }

    public required long TimeShiftUs { get; init; }

    public required Dictionary<string, ReplayOrderBook> Books { get; init; }

    public required Dictionary<(string Symbol, string Interval), RecordedKlineSeries> KlineSeries { get; init; }

    public required IReadOnlyDictionary<string, long> SkippedEvents { get; init; }
}
