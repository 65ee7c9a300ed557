using System.Buffers;
using Streaming.Processing.Idempotence;

namespace Streaming.Processing.Tests.Idempotence;

public sealed class SequenceTrackerTests
{
    private static SequenceTracker Bounded(int maxRanges, params long[] ids)
    {
        var tracker = new SequenceTracker(maxRanges);
        foreach (var id in ids)
        {
            tracker.TryAccept(id);
        }

        return tracker;
    }

    private static SequenceTracker Track(params long[] ids) => Bounded(SequenceTracker.DefaultMaxRanges, ids);

    private static IdRange R(long first, long last) => new(first, last);

    [Fact]
    public void New_NothingSeen_HasNoWatermarkRangesOrHoles()
    {
        var tracker = new SequenceTracker();
        Assert.False(tracker.HasAny);
        Assert.Equal(long.MinValue, tracker.Contiguous);
        Assert.Equal(long.MinValue, tracker.Highest);
        Assert.Equal(0, tracker.RangeCount);
        Assert.Empty(tracker.Holes);
        Assert.False(tracker.Contains(0));
    }

    [Fact]
    public void TryAccept_FirstId_BecomesWatermark()
    {
        var tracker = new SequenceTracker();
        Assert.True(tracker.TryAccept(100));
        Assert.True(tracker.HasAny);
        Assert.Equal(100, tracker.Contiguous);
        Assert.Equal(100, tracker.Highest);
    }

    [Fact]
    public void TryAccept_SameIdTwice_TrueOnlyOnce()
    {
        var tracker = new SequenceTracker();
        Assert.True(tracker.TryAccept(5));
        Assert.False(tracker.TryAccept(5));
        Assert.True(tracker.TryAccept(9));
        Assert.False(tracker.TryAccept(9));
        Assert.True(tracker.TryAccept(6));
        Assert.False(tracker.TryAccept(6));
    }

    [Fact]
    public void TryAccept_IdBelowFirst_RejectedAsSettled()
    {
        var tracker = Track(100);
        Assert.False(tracker.TryAccept(99));
        Assert.True(tracker.Contains(99));
    }

    [Fact]
    public void TryAccept_InOrder_AdvancesWatermarkWithoutRanges()
    {
        var tracker = Track(1, 2, 3, 4);
        Assert.Equal(4, tracker.Contiguous);
        Assert.Equal(0, tracker.RangeCount);
    }

    [Fact]
    public void TryAccept_ConsecutiveBurstAboveHole_KeepsOneRange()
    {
        var tracker = Track(10);
        for (var id = 20; id < 1_020; id++)
        {
            Assert.True(tracker.TryAccept(id));
        }

        Assert.Equal([R(20, 1_019)], tracker.Ranges);
        Assert.Equal([R(11, 19)], tracker.Holes);
        Assert.Equal(1_019, tracker.Highest);
    }

    [Fact]
    public void TryAccept_IdFillingHoleAfterLargerIds_AcceptedAndWatermarkJoinsRanges()
    {
        var tracker = Track(1, 3, 4, 6);
        Assert.Equal(1, tracker.Contiguous);
        Assert.Equal([R(3, 4), R(6, 6)], tracker.Ranges);
        Assert.Equal([R(2, 2), R(5, 5)], tracker.Holes);

        Assert.True(tracker.TryAccept(2));
        Assert.Equal(4, tracker.Contiguous);
        Assert.Equal([R(6, 6)], tracker.Ranges);

        Assert.True(tracker.TryAccept(5));
        Assert.Equal(6, tracker.Contiguous);
        Assert.Equal(0, tracker.RangeCount);
        Assert.Empty(tracker.Holes);
    }

    [Fact]
    public void TryAccept_IdBetweenTwoRanges_MergesThem()
    {
        var tracker = Track(0, 10, 12);
        Assert.True(tracker.TryAccept(11));
        Assert.Equal([R(10, 12)], tracker.Ranges);
        Assert.Equal([R(1, 9)], tracker.Holes);
    }

    [Fact]
    public void TryAccept_IdsAdjacentToRanges_ExtendThemOnEitherSide()
    {
        var tracker = Track(0, 10, 20);
        Assert.True(tracker.TryAccept(9));
        Assert.True(tracker.TryAccept(11));
        Assert.True(tracker.TryAccept(19));
        Assert.True(tracker.TryAccept(5));
        Assert.Equal([R(5, 5), R(9, 11), R(19, 20)], tracker.Ranges);
        Assert.Equal([R(1, 4), R(6, 8), R(12, 18)], tracker.Holes);
        Assert.False(tracker.TryAccept(10));
        Assert.False(tracker.TryAccept(20));
        Assert.False(tracker.TryAccept(5));
    }

    [Fact]
    public void Contains_SeenSettledAndMissingIds_Distinguished()
    {
        var tracker = Track(10, 13, 14);
        Assert.True(tracker.Contains(10));
        Assert.True(tracker.Contains(-5));
        Assert.False(tracker.Contains(11));
        Assert.False(tracker.Contains(12));
        Assert.True(tracker.Contains(13));
        Assert.True(tracker.Contains(14));
        Assert.False(tracker.Contains(15));
    }

    [Fact]
    public void TryAccept_MoreRangesThanBound_SettlesOldestHoleAndReportsIt()
    {
        var tracker = Bounded(2, 0, 2, 4);
        Assert.Equal(2, tracker.RangeCount);

        Assert.True(tracker.TryAccept(7, out var settled));
        Assert.Equal(R(1, 1), settled);
        Assert.Equal(2, tracker.Contiguous);
        Assert.Equal([R(4, 4), R(7, 7)], tracker.Ranges);

        Assert.True(tracker.TryAccept(5, out settled));
        Assert.Null(settled);
    }

    [Fact]
    public void TryAccept_LateIdOfSettledHole_RejectedAsRepeat()
    {
        var tracker = Bounded(1, 0, 5, 10);
        Assert.Equal(5, tracker.Contiguous);
        Assert.False(tracker.TryAccept(3));
        Assert.True(tracker.TryAccept(7));
    }

    [Fact]
    public void TryAccept_RepeatAtBound_SettlesNothing()
    {
        var tracker = Bounded(1, 0, 5);
        Assert.False(tracker.TryAccept(5, out var settled));
        Assert.Null(settled);
        Assert.Equal([R(1, 4)], tracker.Holes);
    }

    [Fact]
    public void TryAccept_ZeroMaxRanges_ActsAsHighWaterMark()
    {
        var tracker = new SequenceTracker(maxRanges: 0);
        Assert.True(tracker.TryAccept(1));
        Assert.True(tracker.TryAccept(4, out var settled));
        Assert.Equal(R(2, 3), settled);
        Assert.Equal(4, tracker.Contiguous);
        Assert.False(tracker.TryAccept(2));
        Assert.True(tracker.TryAccept(5, out settled));
        Assert.Null(settled);
    }

    [Fact]
    public void Constructor_NegativeMaxRanges_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceTracker(-1));
    }

    [Fact]
    public void Settle_InsideHole_SkipsItsLowerPartOnly()
    {
        var tracker = Track(5, 10, 11, 12);
        Assert.Equal([R(6, 8)], tracker.Settle(8));
        Assert.Equal(8, tracker.Contiguous);
        Assert.Equal([R(9, 9)], tracker.Holes);
        Assert.False(tracker.TryAccept(7));
        Assert.True(tracker.TryAccept(9));
        Assert.Equal(12, tracker.Contiguous);
    }

    [Fact]
    public void Settle_AcrossRanges_SkipsEveryHoleBelowTheGivenId()
    {
        var tracker = Track(0, 3, 6, 7, 10);
        Assert.Equal([R(1, 2), R(4, 5), R(8, 8)], tracker.Settle(8));
        Assert.Equal(8, tracker.Contiguous);
        Assert.Equal([R(9, 9)], tracker.Holes);
    }

    [Fact]
    public void Settle_UpToIdBelowARange_JoinsTheRange()
    {
        var tracker = Track(0, 3, 10, 11);
        Assert.Equal([R(1, 2), R(4, 9)], tracker.Settle(9));
        Assert.Equal(11, tracker.Contiguous);
        Assert.Equal(0, tracker.RangeCount);
    }

    [Fact]
    public void Settle_InsideRange_SkipsHolesBelowAndKeepsTheRest()
    {
        var tracker = Track(0, 3, 4, 5, 9);
        Assert.Equal([R(1, 2)], tracker.Settle(4));
        Assert.Equal(5, tracker.Contiguous);
        Assert.Equal([R(9, 9)], tracker.Ranges);
    }

    [Fact]
    public void Settle_AboveHighest_SkipsUpToTheGivenId()
    {
        var tracker = Track(0, 2);
        Assert.Equal([R(1, 1), R(3, 6)], tracker.Settle(6));
        Assert.Equal(6, tracker.Contiguous);
        Assert.True(tracker.TryAccept(7));
    }

    [Fact]
    public void Settle_AtOrBelowWatermark_NoOp()
    {
        var tracker = Track(0, 1, 5);
        Assert.Empty(tracker.Settle(1));
        Assert.Empty(tracker.Settle(-10));
        Assert.Equal(1, tracker.Contiguous);
        Assert.Equal([R(5, 5)], tracker.Ranges);
    }

    [Fact]
    public void Settle_OnEmptyTracker_SetsStartSoEarlierArrivalsAreHoles()
    {
        var tracker = new SequenceTracker();
        Assert.Empty(tracker.Settle(99));
        Assert.True(tracker.TryAccept(102));
        Assert.Equal([R(100, 101)], tracker.Holes);
        Assert.True(tracker.TryAccept(100));
        Assert.True(tracker.TryAccept(101));
        Assert.Equal(102, tracker.Contiguous);
        Assert.False(tracker.TryAccept(99));
    }

    [Fact]
    public void TryAccept_ExtremeIds_NoOverflow()
    {
        var tracker = Track(long.MinValue, long.MinValue + 2, long.MaxValue - 1, long.MaxValue);
        Assert.Equal(long.MinValue, tracker.Contiguous);
        Assert.Equal([R(long.MinValue + 2, long.MinValue + 2), R(long.MaxValue - 1, long.MaxValue)], tracker.Ranges);
        Assert.False(tracker.TryAccept(long.MaxValue));
        Assert.Equal(tracker, SequenceTracker.ReadFrom(tracker.ToBytes()));

        Assert.Equal([R(long.MinValue + 1, long.MinValue + 1), R(long.MinValue + 3, long.MaxValue - 2)], tracker.Settle(long.MaxValue));
        Assert.Equal(long.MaxValue, tracker.Contiguous);
        Assert.False(tracker.TryAccept(long.MaxValue));
        Assert.Equal(tracker, SequenceTracker.ReadFrom(tracker.ToBytes()));

        var top = Track(long.MaxValue);
        Assert.False(top.TryAccept(0));
        Assert.Empty(top.Settle(long.MaxValue));
    }

    [Fact]
    public void Holes_ModifiedDuringEnumeration_Throws()
    {
        var tracker = Track(0, 2, 4);
        Assert.Throws<InvalidOperationException>(() =>
        {
            foreach (var hole in tracker.Holes)
            {
                tracker.TryAccept(hole.First);
            }
        });
    }

    [Fact]
    public void Equals_SameIdsDifferentArrivalOrder_Equal()
    {
        var a = Track(0, 5, 3, 4, 9);
        var b = Track(0, 9, 4, 3, 5, 5);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, Track(0, 5, 3, 9));
        Assert.NotEqual(new SequenceTracker(), Track(0));
        Assert.Equal(new SequenceTracker(1), new SequenceTracker(5));
    }

    [Fact]
    public void Clone_Mutated_LeavesOriginalUnchanged()
    {
        var original = Track(0, 3);
        var copy = original.Clone();
        Assert.Equal(original, copy);
        Assert.True(copy.TryAccept(1));
        Assert.NotEqual(original, copy);
        Assert.True(original.TryAccept(1));
    }

    [Fact]
    public void ToString_ShowsWatermarkRangesAndHoles()
    {
        Assert.Equal("SequenceTracker { nothing seen }", new SequenceTracker().ToString());
        Assert.Equal("SequenceTracker { contiguous 7 }", Track(7).ToString());
        Assert.Equal(
            "SequenceTracker { contiguous 105, ranges [108..110, 115], holes [106..107, 111..114] }",
            Track(105, 108, 109, 110, 115).ToString());

        var many = Track(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20);
        Assert.EndsWith("14, 16, … +2 more], holes [1, 3, 5, 7, 9, 11, 13, 15, … +2 more] }", many.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void WriteTo_Empty_IsTwoBytes()
    {
        Assert.Equal([1, 0], new SequenceTracker().ToBytes());
    }

    [Fact]
    public void WriteTo_LongBurstAboveHole_StaysCompact()
    {
        var tracker = Track(1_000_000_000);
        for (var id = 1_000_000_100L; id < 1_000_100_000L; id++)
        {
            tracker.TryAccept(id);
        }

        // version, flags, watermark (5 bytes), count, gap (1 byte), length (3 bytes).
        Assert.Equal(12, tracker.ToBytes().Length);
    }

    [Fact]
    public void WriteTo_AppendsToExistingBufferContent()
    {
        var writer = new ArrayBufferWriter<byte>();
        writer.Write<byte>([0xAA]);
        var tracker = Track(-3, 0, 1, 7);
        tracker.WriteTo(writer);
        Assert.Equal(0xAA, writer.WrittenSpan[0]);
        Assert.Equal(tracker, SequenceTracker.ReadFrom(writer.WrittenSpan[1..]));
    }

    [Fact]
    public void ReadFrom_MaxRanges_AppliesToTheRestoredTracker()
    {
        var bytes = Track(0, 2, 4, 6).ToBytes();
        var restored = SequenceTracker.ReadFrom(bytes, maxRanges: 1);
        Assert.Equal(1, restored.MaxRanges);
        Assert.Equal(3, restored.RangeCount);

        // Over the lowered bound: each accepted id settles one hole until the bound holds.
        Assert.True(restored.TryAccept(10, out var settled));
        Assert.Equal(R(1, 1), settled);
        Assert.True(restored.TryAccept(12, out settled));
        Assert.Equal(R(3, 3), settled);
        Assert.True(restored.TryAccept(11, out settled));
        Assert.Equal(R(5, 5), settled);
        Assert.Equal([R(10, 12)], restored.Ranges);
        Assert.True(restored.TryAccept(7, out settled));
        Assert.Null(settled);
    }

    public static TheoryData<byte[], string> CorruptInputs => new()
    {
        { [], "truncated" },
        { [1], "truncated" },
        { [2, 0], "version" },
        { [0, 0], "version" },
        { [1, 2], "flags" },
        { [1, 0, 0], "trailing" },
        { [1, 1], "truncated" },
        { [1, 1, 0], "truncated" },
        { [1, 1, 0, 1, 0], "cannot fit" },
        { [1, 1, 0, 1, 0x80, 0x01], "truncated" },
        { [1, 1, 0, 0, 0], "trailing" },
        { [1, 1, 0x80], "truncated" },
        { [1, 1, 0x80, 0x00, 0], "minimally" },
        { [1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02, 0], "64 bits" },
        { [1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81, 0x00], "longer than 10" },
        { [1, 1, 0, 0x7F, 0, 0], "cannot fit" },
        // Watermark long.MaxValue - 1 (zigzag 2^64 - 4): no room for a range above it.
        { [1, 1, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 1, 0, 0], "starts beyond" },
        // Watermark 0, one range starting at 2 with length 2^63 - 2: ends at long.MaxValue + 1.
        { [1, 1, 0, 1, 0, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], "ends beyond" },
    };

    [Theory]
    [MemberData(nameof(CorruptInputs))]
    public void ReadFrom_CorruptInput_ThrowsFormatException(byte[] bytes, string reason)
    {
        var exception = Assert.Throws<SequenceTrackerFormatException>(() => SequenceTracker.ReadFrom(bytes));
        Assert.Contains(reason, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadFrom_LargestRepresentableRange_Accepted()
    {
        // Watermark 0, one range starting at 2 with length 2^63 - 3: ends at long.MaxValue.
        byte[] bytes = [1, 1, 0, 1, 0, 0xFD, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F];
        var tracker = SequenceTracker.ReadFrom(bytes);
        Assert.Equal([R(2, long.MaxValue)], tracker.Ranges);
        Assert.Equal(bytes, tracker.ToBytes());
    }

    [Fact]
    public void ReadFrom_EveryTruncation_ThrowsFormatException()
    {
        var bytes = Track(-1_000, 5, 6, 300, 301, 302, 100_000).ToBytes();
        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<SequenceTrackerFormatException>(() => SequenceTracker.ReadFrom(prefix));
        }
    }
}
