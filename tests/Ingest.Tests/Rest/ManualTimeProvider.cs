namespace Ingest.Tests.Rest;

/// <summary>
/// A clock that moves only when told to, with timers (so <c>Task.Delay(…, timeProvider, …)</c> works): advancing fires
/// every timer that falls due, in due order, outside the lock. Thread-safe. Microsoft.Extensions.Time.Testing's
/// FakeTimeProvider is not among the repository's packages, hence this one.
/// </summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private long _utcTicks = start.UtcTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>Timers scheduled and not yet fired or disposed: something is waiting on this clock.</summary>
    public int PendingTimers
    {
        get
        {
            lock (_lock)
            {
                return _timers.Count;
            }
        }
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        SetTo(GetUtcNow() + by);
    }

    /// <summary>Moves to the earliest pending timer's due time (firing it and any due with it); false when none is pending.</summary>
    public bool AdvanceToNextTimer()
    {
        long due;
        lock (_lock)
        {
            if (_timers.Count == 0)
            {
                return false;
            }

            due = _timers.Min(t => t.DueTicks);
        }

        SetTo(new DateTimeOffset(Math.Max(due, Interlocked.Read(ref _utcTicks)), TimeSpan.Zero));
        return true;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    private void SetTo(DateTimeOffset time)
    {
        Interlocked.Exchange(ref _utcTicks, time.UtcTicks);
        while (true)
        {
            ManualTimer? fire;
            lock (_lock)
            {
                var now = Interlocked.Read(ref _utcTicks);
                fire = _timers.Where(t => t.DueTicks <= now).MinBy(t => t.DueTicks);
                if (fire is null)
                {
                    return;
                }

                if (fire.PeriodTicks > 0)
                {
                    fire.DueTicks += fire.PeriodTicks;
                }
                else
                {
                    _timers.Remove(fire);
                }
            }

            fire.Fire();
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        public long DueTicks { get; set; }

        public long PeriodTicks { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    return true;
                }

                DueTicks = Interlocked.Read(ref clock._utcTicks) + dueTime.Ticks;
                PeriodTicks = period == Timeout.InfiniteTimeSpan ? 0 : period.Ticks;
                clock._timers.Add(this);
            }

            // A timer due now fires at once, as a real one would.
            if (dueTime == TimeSpan.Zero)
            {
                clock.SetTo(clock.GetUtcNow());
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._lock)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
