using Ingest.Rest;

namespace Ingest.Tests.Rest;

/// <summary>The budget's arithmetic against a manual clock: minutes, header corrections, pauses, waits.</summary>
public sealed class RequestWeightBudgetTests
{
    /// <summary>Ten seconds into a calendar minute.</summary>
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 10, TimeSpan.Zero);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public void Options_Default_UseHalfOfSpotLimit()
    {
        Assert.Equal(3000, new RequestWeightBudgetOptions().WeightPerMinute);
        Assert.Equal(1200, new RequestWeightBudgetOptions { ExchangeWeightPerMinute = 2400 }.WeightPerMinute);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestWeightBudget(new RequestWeightBudgetOptions { Share = 0 }, TimeProvider.System));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RequestWeightBudget(new RequestWeightBudgetOptions { Share = 1.5 }, TimeProvider.System));
    }

    [Fact]
    public async Task Acquire_WithinMinute_CountsWithoutWaiting()
    {
        var (budget, _) = Create(share: 100);

        var first = await budget.AcquireAsync(40, Cancel);
        var second = await budget.AcquireAsync(60, Cancel);

        Assert.Equal(100, budget.UsedThisMinute);
        Assert.Equal(0, budget.Waits);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), first.WindowStart);
        Assert.Equal(first.WindowStart, second.WindowStart);
        Assert.Equal(60, second.Weight);
    }

    [Fact]
    public async Task Acquire_OverBudget_WaitsForNextCalendarMinute()
    {
        var (budget, clock) = Create(share: 100);
        await budget.AcquireAsync(80, Cancel);

        var waiting = budget.AcquireAsync(40, Cancel).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, budget.Waits);
        clock.Advance(TimeSpan.FromSeconds(49));
        Assert.False(waiting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var lease = await waiting;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), lease.WindowStart);
        Assert.Equal(40, budget.UsedThisMinute);
        Assert.Equal(1, budget.Waits);
    }

    [Fact]
    public async Task UsedThisMinute_AtMinuteBoundary_StartsFromZero()
    {
        var (budget, clock) = Create(share: 100);
        clock.Advance(TimeSpan.FromSeconds(49.5));
        await budget.AcquireAsync(90, Cancel);

        clock.Advance(TimeSpan.FromSeconds(0.4));
        Assert.Equal(90, budget.UsedThisMinute);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(0, budget.UsedThisMinute);
        await budget.AcquireAsync(100, Cancel);
        Assert.Equal(0, budget.Waits);
    }

    [Fact]
    public async Task ObserveUsedWeight_ServerHigher_Wins_Lower_Ignored()
    {
        var (budget, _) = Create(share: 100);
        var lease = await budget.AcquireAsync(10, Cancel);

        budget.ObserveUsedWeight(lease, 5);
        Assert.Equal(10, budget.UsedThisMinute);
        budget.ObserveUsedWeight(lease, 70);
        Assert.Equal(70, budget.UsedThisMinute);
        Assert.Equal(1, budget.Corrections);

        var waiting = budget.AcquireAsync(40, Cancel).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, budget.Waits);
    }

    [Fact]
    public async Task ObserveUsedWeight_ServerAboveShare_BlocksUntilNextMinute()
    {
        var (budget, clock) = Create(share: 100);
        var lease = await budget.AcquireAsync(4, Cancel);
        budget.ObserveUsedWeight(lease, 5000);

        var waiting = budget.AcquireAsync(4, Cancel).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(clock.AdvanceToNextTimer());
        await waiting;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(4, budget.UsedThisMinute);
    }

    [Fact]
    public async Task ObserveUsedWeight_ResponseFromEndedMinute_DoesNotInflateNewMinute()
    {
        var (budget, clock) = Create(share: 100);
        var lease = await budget.AcquireAsync(10, Cancel);
        clock.Advance(TimeSpan.FromSeconds(50));

        budget.ObserveUsedWeight(lease, 95);

        Assert.Equal(0, budget.UsedThisMinute);
        Assert.Equal(0, budget.Corrections);
    }

    [Fact]
    public async Task Pause_BlocksEveryCallerUntilRetryAfter()
    {
        var (budget, clock) = Create(share: 100);
        budget.Pause(TimeSpan.FromSeconds(3));

        var first = budget.AcquireAsync(4, Cancel).AsTask();
        var second = budget.AcquireAsync(4, Cancel).AsTask();
        Assert.Equal(Start.AddSeconds(3), budget.PausedUntil);
        Assert.Equal(1, budget.Pauses);
        clock.Advance(TimeSpan.FromSeconds(2.9));
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.1));
        await Task.WhenAll(first, second);

        Assert.Null(budget.PausedUntil);
        Assert.Equal(8, budget.UsedThisMinute);
        Assert.Equal(2, budget.Waits);
    }

    [Fact]
    public void Pause_ShorterAfterLonger_KeepsLonger()
    {
        var (budget, _) = Create(share: 100);

        budget.Pause(TimeSpan.FromMinutes(2));
        budget.Pause(TimeSpan.FromSeconds(1));

        Assert.Equal(Start.AddMinutes(2), budget.PausedUntil);
        Assert.Equal(2, budget.Pauses);
    }

    [Fact]
    public async Task Acquire_PauseEndsInsideFullMinute_WaitsForMinuteToo()
    {
        var (budget, clock) = Create(share: 100);
        await budget.AcquireAsync(100, Cancel);
        budget.Pause(TimeSpan.FromSeconds(5));

        var waiting = budget.AcquireAsync(1, Cancel).AsTask();
        Assert.True(clock.AdvanceToNextTimer());
        Assert.Equal(Start.AddSeconds(5), clock.GetUtcNow());
        await Eventually(() => clock.PendingTimers == 1, "the waiter to wait for the next minute");
        Assert.False(waiting.IsCompleted);
        Assert.True(clock.AdvanceToNextTimer());
        await waiting;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 1, 0, TimeSpan.Zero), clock.GetUtcNow());
        Assert.Equal(1, budget.Waits);
    }

    [Fact]
    public async Task Acquire_CancelledWhileWaiting_Throws()
    {
        var (budget, _) = Create(share: 100);
        await budget.AcquireAsync(100, Cancel);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Cancel);

        var waiting = budget.AcquireAsync(1, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(100, budget.UsedThisMinute);
    }

    [Fact]
    public async Task Acquire_WeightAboveWholeBudget_IsRefused()
    {
        var (budget, _) = Create(share: 100);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await budget.AcquireAsync(101, Cancel));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await budget.AcquireAsync(0, Cancel));
    }

    [Fact]
    public async Task Acquire_ManyConcurrentCallers_NeverExceedShare()
    {
        var (budget, clock) = Create(share: 100);
        var callers = Enumerable.Range(0, 60).Select(_ => budget.AcquireAsync(4, Cancel).AsTask()).ToList();

        Assert.Equal(25, callers.Count(c => c.IsCompletedSuccessfully));
        Assert.Equal(100, budget.UsedThisMinute);
        clock.Advance(TimeSpan.FromSeconds(50));
        await Eventually(() => callers.Count(c => c.IsCompleted) == 50 && clock.PendingTimers == 10, "25 waiters to take the new minute, 10 to wait again");
        Assert.Equal(100, budget.UsedThisMinute);
        clock.Advance(TimeSpan.FromMinutes(1));
        var leases = await Task.WhenAll(callers);

        Assert.Equal(40, budget.UsedThisMinute);
        Assert.Equal([25, 25, 10], leases.GroupBy(l => l.WindowStart).OrderBy(g => g.Key).Select(g => g.Count()).ToArray());
    }

    private static Task Eventually(Func<bool> condition, string what) =>
        Streaming.Testing.Eventually.TrueAsync(condition, TimeSpan.FromSeconds(10), what, Cancel);

    private static (RequestWeightBudget Budget, ManualTimeProvider Clock) Create(int share)
    {
        var clock = new ManualTimeProvider(Start);
        var budget = new RequestWeightBudget(new RequestWeightBudgetOptions { ExchangeWeightPerMinute = share, Share = 1 }, clock);
        return (budget, clock);
    }
}
