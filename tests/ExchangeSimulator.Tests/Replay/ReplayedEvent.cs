using ExchangeSimulator.Market;

namespace ExchangeSimulator.Tests.Replay;

/// <summary>One event a replay emitted, with the time it was emitted at (exactly one of the three is set).</summary>
internal sealed record ReplayedEvent(long TimeUs, AggregateTrade? Trade, DepthUpdate? Depth, Kline? Kline);
