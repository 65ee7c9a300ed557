namespace Ingest.Rest;

/// <summary>
/// The pod's one REST weight budget, shared by every REST caller (backfill, discovery, depth snapshots): each
/// awaits <see cref="AcquireAsync"/> with the request's weight before sending it. Binance limits weight per IP
/// per calendar minute and answers 429, then 418 bans of minutes to days, to clients that overrun
/// (<c>shared/BINANCE.md</c> 1.4), so the budget
/// <list type="number">
/// <item>counts locally within the current UTC minute (Binance's window is the calendar minute, not a sliding one);</item>
/// <item>takes the server's count from each response's <c>X-MBX-USED-WEIGHT-1M</c> when it is higher (others share the IP,
/// and the clocks differ);</item>
/// <item>stops everyone until now + <c>Retry-After</c> after a 429 or 418: one caller's refusal means the IP is over;</item>
/// <item>exposes <see cref="UsedThisMinute"/>, <see cref="Waits"/>, <see cref="Pauses"/> and <see cref="PausedUntil"/> for metrics.</item>
/// </list>
/// Thread-safe: one lock around a few arithmetic steps; waits happen outside it on <see cref="TimeProvider"/>'s timers.
/// Waiters are not queued fairly: after a wait each re-checks, and the budget of the new minute goes to whoever comes first.
/// </summary>
internal sealed class RequestWeightBudget
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private DateTimeOffset _windowStart;
    private int _used;
    private DateTimeOffset _pausedUntil;
    private long _waits;
    private long _pauses;
    private long _corrections;

    public RequestWeightBudget(RequestWeightBudgetOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.Validate();
        WeightPerMinute = options.WeightPerMinute;
        _time = timeProvider;
    }

    /// <summary>The pod's budget per minute (its share of the exchange's limit).</summary>
    public int WeightPerMinute { get; }

    /// <summary>The clock the minutes and pauses are measured on (callers that parse HTTP dates use the same one).</summary>
    public TimeProvider TimeProvider => _time;

    /// <summary>Weight counted in the current UTC minute: local charges, raised by the server's count when that was higher.</summary>
    public int UsedThisMinute
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_lock)
            {
                Roll(now);
                return _used;
            }
        }
    }

    /// <summary>Acquisitions that had to wait (for the next minute or for a pause), since start.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Times a 429 or 418 paused the budget, since start.</summary>
    public long Pauses => Interlocked.Read(ref _pauses);

    /// <summary>Times the server's <c>X-MBX-USED-WEIGHT-1M</c> was higher than the local count and replaced it.</summary>
    public long Corrections => Interlocked.Read(ref _corrections);

    /// <summary>End of the current 429/418 pause, or null when none is running.</summary>
    public DateTimeOffset? PausedUntil
    {
        get
        {
            var now = _time.GetUtcNow();
            lock (_lock)
            {
                return _pausedUntil > now ? _pausedUntil : null;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="weight"/> fits in the current minute and no pause runs, then counts it. Send the
    /// request right after, and hand the lease to <see cref="ObserveUsedWeight"/> with the response's header.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="weight"/> is not positive, or larger than a whole minute's budget (it could never fit).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled while waiting.</exception>
    public async ValueTask<RequestWeightLease> AcquireAsync(int weight, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, WeightPerMinute);
        var counted = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            TimeSpan delay;
            lock (_lock)
            {
                var now = _time.GetUtcNow();
                if (now < _pausedUntil)
                {
                    delay = _pausedUntil - now;
                }
                else
                {
                    Roll(now);
                    if (_used + weight <= WeightPerMinute)
                    {
                        _used += weight;
                        return new RequestWeightLease(weight, _windowStart);
                    }

                    delay = _windowStart.AddMinutes(1) - now;
                }
            }

            // The timer exists before the wait is counted, so whoever watches Waits and moves a manual clock cannot miss it.
            var wait = Task.Delay(delay, _time, cancellationToken);
            if (!counted)
            {
                counted = true;
                Interlocked.Increment(ref _waits);
            }

            await wait.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Applies a response's <c>X-MBX-USED-WEIGHT-1M</c>: the server's count wins when it is higher, for the minute
    /// <paramref name="lease"/> was charged to (a response from a minute that has ended says nothing about the current one).
    /// </summary>
    public void ObserveUsedWeight(RequestWeightLease lease, int serverUsedWeight)
    {
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            Roll(now);
            if (lease.WindowStart == _windowStart && serverUsedWeight > _used)
            {
                _used = serverUsedWeight;
                Interlocked.Increment(ref _corrections);
            }
        }
    }

    /// <summary>
    /// A 429 or 418 arrived: nobody sends until now + <paramref name="retryAfter"/>. A longer pause already running is kept
    /// (a 418 ban is not shortened by a later 429's shorter Retry-After).
    /// </summary>
    public void Pause(TimeSpan retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        var until = _time.GetUtcNow() + retryAfter;
        lock (_lock)
        {
            if (until > _pausedUntil)
            {
                _pausedUntil = until;
            }
        }

        Interlocked.Increment(ref _pauses);
    }

    private static DateTimeOffset MinuteOf(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero);

    private void Roll(DateTimeOffset now)
    {
        var minute = MinuteOf(now);
        if (minute > _windowStart)
        {
            _windowStart = minute;
            _used = 0;
        }
    }
}
