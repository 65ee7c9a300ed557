using Ingest.Pipeline;
using Ingest.Sequencing;

namespace Ingest.Tests.Pipeline;

/// <summary>
/// REST rows fetched for another service's feed gap may fill the pod's own holes, but never start or advance its
/// sequence: the symbol may belong to another pod, or the ids lie far behind the stream.
/// </summary>
public sealed class SequencerGuardTests
{
    [Fact]
    public void RowsOfAFeedGap_NeverStartASequence()
    {
        var guard = new SequencerGuard();

        guard.ObserveIfTracked("BTCUSDT", 500, 1_000);

        Assert.Null(guard.LastId("BTCUSDT"));
        Assert.Equal(AggTradeObservationKind.First, guard.Observe("BTCUSDT", 9_000, 2_000).Kind);
    }

    [Fact]
    public void RowsOfAFeedGap_NeverMoveTheHighWaterMark_ButFillTheHolesBelowIt()
    {
        var guard = new SequencerGuard();
        guard.Observe("BTCUSDT", 100, 1_000);
        Assert.Equal(AggTradeObservationKind.Gap, guard.Observe("BTCUSDT", 105, 1_005).Kind);

        guard.ObserveIfTracked("BTCUSDT", 101, 1_001);
        guard.ObserveIfTracked("BTCUSDT", 200, 1_100);

        Assert.Equal(105, guard.LastId("BTCUSDT"));
        Assert.Equal(AggTradeObservationKind.Duplicate, guard.Observe("BTCUSDT", 101, 1_001).Kind);
        Assert.Equal(AggTradeObservationKind.FillsHole, guard.Observe("BTCUSDT", 102, 1_002).Kind);
        Assert.Equal(AggTradeObservationKind.Continuous, guard.Observe("BTCUSDT", 106, 1_006).Kind);
    }
}
