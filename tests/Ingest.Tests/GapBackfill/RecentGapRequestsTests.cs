using Ingest.GapBackfill;
using Ingest.Pipeline;
using Ingest.Sequencing;
using Ingest.Tests.Rest;

namespace Ingest.Tests.GapBackfill;

/// <summary>Copies of one gap within the repeat window cost one fetch; the memory stays bounded.</summary>
public sealed class RecentGapRequestsTests
{
    private static readonly IdInterval Range = new(1000, 1009);

    private readonly ManualTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TheSameIdsAgainWithinTheWindow_AreARepeat_ThatWaitsForTheFirstRequest()
    {
        var recent = new RecentGapRequests(100, TimeSpan.FromMinutes(10), _clock);
        var first = new BackfillTicket();

        Assert.True(recent.TryAdd("BTCUSDT", Range, first, out _));
        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.False(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out var earlier));

        // The repeat's offset is committed when the first request is served, not before.
        Assert.Same(first, earlier);
    }

    [Fact]
    public void AfterTheWindow_TheSameIdsAreFetchedAgain()
    {
        var recent = new RecentGapRequests(100, TimeSpan.FromMinutes(10), _clock);
        Assert.True(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out _));

        _clock.Advance(TimeSpan.FromMinutes(10));
        var again = new BackfillTicket();

        Assert.True(recent.TryAdd("BTCUSDT", Range, again, out var earlier));
        Assert.Same(again, earlier);
        Assert.Equal(1, recent.Count);
        Assert.False(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out earlier));
        Assert.Same(again, earlier);
    }

    [Fact]
    public void OtherIdsOrAnotherSymbol_AreNoRepeat()
    {
        var recent = new RecentGapRequests(100, TimeSpan.FromMinutes(10), _clock);
        Assert.True(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out _));

        Assert.True(recent.TryAdd("ETHUSDT", Range, new BackfillTicket(), out _));
        Assert.True(recent.TryAdd("BTCUSDT", Range with { Last = 1010 }, new BackfillTicket(), out _));
        Assert.True(recent.TryAdd("BTCUSDT", Range with { First = 1001 }, new BackfillTicket(), out _));
        Assert.Equal(4, recent.Count);
    }

    [Fact]
    public void BeyondItsCapacity_TheOldestRequestIsForgotten()
    {
        var recent = new RecentGapRequests(3, TimeSpan.FromHours(1), _clock);
        for (var i = 0; i < 10; i++)
        {
            Assert.True(recent.TryAdd("BTCUSDT", new IdInterval(i * 10, (i * 10) + 9), new BackfillTicket(), out _));
            Assert.True(recent.Count <= 3);
        }

        Assert.True(recent.TryAdd("BTCUSDT", new IdInterval(60, 69), new BackfillTicket(), out _));
        Assert.False(recent.TryAdd("BTCUSDT", new IdInterval(90, 99), new BackfillTicket(), out _));
    }

    [Fact]
    public void AZeroWindow_RemembersNothing()
    {
        var recent = new RecentGapRequests(100, TimeSpan.Zero, _clock);

        Assert.True(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out _));
        Assert.True(recent.TryAdd("BTCUSDT", Range, new BackfillTicket(), out _));
        Assert.Equal(0, recent.Count);
    }
}
