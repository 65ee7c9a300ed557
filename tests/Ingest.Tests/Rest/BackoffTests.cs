using Ingest.Rest;

namespace Ingest.Tests.Rest;

public sealed class BackoffTests
{
    [Fact]
    public void Next_StaysWithinGrowingCeiling_CappedAtMax()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), 2, new Random(1));

        var delays = Enumerable.Range(0, 12).Select(_ => backoff.Next()).ToList();

        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = TimeSpan.FromMilliseconds(Math.Min(2000, 100 * Math.Pow(2, i)));
            Assert.InRange(delays[i], TimeSpan.FromMilliseconds(100), ceiling);
        }

        Assert.Equal(TimeSpan.FromMilliseconds(100), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Ceiling(30));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Ceiling(int.MaxValue));
        Assert.Contains(delays.Skip(6), d => d > TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Next_SameSeed_SameDelays()
    {
        var first = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), 3, new Random(42));
        var second = new Backoff(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(5), 3, new Random(42));

        Assert.Equal(
            Enumerable.Range(0, 10).Select(_ => first.Next()).ToList(),
            Enumerable.Range(0, 10).Select(_ => second.Next()).ToList());
    }

    [Fact]
    public void Reset_StartsAgainFromMin()
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10), 2, new Random(3));
        for (var i = 0; i < 8; i++)
        {
            backoff.Next();
        }

        Assert.Equal(8, backoff.Attempt);
        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal(TimeSpan.FromMilliseconds(50), backoff.Next());
        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Constructor_BadArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), double.NaN));
    }
}
