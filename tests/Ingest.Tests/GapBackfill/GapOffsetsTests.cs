using Confluent.Kafka;
using Ingest.GapBackfill;
using Ingest.Pipeline;

namespace Ingest.Tests.GapBackfill;

/// <summary>A gap's offset is committed once its request was served; records needing none are committed at once.</summary>
public sealed class GapOffsetsTests
{
    private static readonly TopicPartition P0 = new("binance.all.feed.gaps.v1", 0);
    private static readonly TopicPartition P1 = new("binance.all.feed.gaps.v1", 1);

    [Fact]
    public void RecordsNeedingNoRequest_AreCommittedAtOnce()
    {
        var offsets = new GapOffsets();
        offsets.Read(P0, 40, BackfillTicket.Done);
        offsets.Read(P0, 41, BackfillTicket.Done);

        Assert.Equal([new TopicPartitionOffset(P0, 42)], offsets.Committable());
        Assert.Equal(0, offsets.Pending);
    }

    [Fact]
    public void TheCommitStopsAtTheFirstGapNotServed_AndMovesOnOnceItIs()
    {
        var offsets = new GapOffsets();
        var first = new BackfillTicket();
        var second = new BackfillTicket();
        offsets.Read(P0, 10, BackfillTicket.Done);
        offsets.Read(P0, 11, first);
        offsets.Read(P0, 12, BackfillTicket.Done);
        offsets.Read(P0, 13, second);
        offsets.Read(P0, 14, BackfillTicket.Done);

        Assert.Equal([new TopicPartitionOffset(P0, 11)], Commit(offsets));
        Assert.Equal(2, offsets.Pending);

        // Served out of order: nothing moves until the first one is done too.
        second.MarkHandled();
        Assert.Empty(Commit(offsets));
        first.MarkHandled();
        Assert.Equal([new TopicPartitionOffset(P0, 15)], Commit(offsets));
        Assert.Equal(0, offsets.Pending);
        Assert.Empty(Commit(offsets));
    }

    [Fact]
    public void Partitions_AreIndependent_AndOnlyMovedPositionsAreOffered()
    {
        var offsets = new GapOffsets();
        var waiting = new BackfillTicket();
        offsets.Read(P0, 5, waiting);
        offsets.Read(P1, 7, BackfillTicket.Done);

        Assert.Equal([new TopicPartitionOffset(P0, 5), new TopicPartitionOffset(P1, 8)], Commit(offsets));
        offsets.Read(P1, 8, BackfillTicket.Done);
        Assert.Equal([new TopicPartitionOffset(P1, 9)], Commit(offsets));
        Assert.Empty(Commit(offsets));
        waiting.MarkHandled();
        Assert.Equal([new TopicPartitionOffset(P0, 6)], Commit(offsets));
    }

    [Fact]
    public void APositionKafkaDidNotTake_IsOfferedAgain()
    {
        var offsets = new GapOffsets();
        offsets.Read(P0, 3, BackfillTicket.Done);

        Assert.Equal([new TopicPartitionOffset(P0, 4)], offsets.Committable());
        Assert.Equal([new TopicPartitionOffset(P0, 4)], offsets.Committable());
    }

    [Fact]
    public void ARevokedPartition_IsForgotten_WithTheRequestsItsNextOwnerReadsAgain()
    {
        var offsets = new GapOffsets();
        offsets.Read(P0, 5, new BackfillTicket());
        offsets.Read(P1, 9, new BackfillTicket());

        Assert.Equal([new TopicPartitionOffset(P0, 5)], offsets.Committable([P0]));
        offsets.Forget([P0]);

        Assert.Equal(1, offsets.Pending);
        Assert.Equal([new TopicPartitionOffset(P1, 9)], offsets.Committable());
        Assert.Empty(offsets.Committable([P0]));
    }

    private static List<TopicPartitionOffset> Commit(GapOffsets offsets)
    {
        var positions = offsets.Committable();
        offsets.Committed(positions);
        return positions;
    }
}
