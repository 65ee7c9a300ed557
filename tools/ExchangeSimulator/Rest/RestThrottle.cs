using Microsoft.AspNetCore.Http;

namespace ExchangeSimulator.Rest;

/// <summary>
/// Injected REST refusals for one region: for a while every request gets 429 (rate limited) or 418 (banned)
/// with <c>Retry-After</c>, whatever weight the client used; proves a client honours them.
/// </summary>
public sealed class RestThrottle(TimeProvider time, int weightPerMinute)
{
    private long _untilTicks;
    private int _status;
    private int _retryAfterSeconds;

    public bool IsActive => Volatile.Read(ref _untilTicks) > time.GetTimestamp();

    public void Activate(int status, TimeSpan duration, int retryAfterSeconds)
    {
        if (status is not (StatusCodes.Status429TooManyRequests or StatusCodes.Status418ImATeapot))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "Only 429 and 418 can be injected.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(retryAfterSeconds);
        Volatile.Write(ref _status, status);
        Volatile.Write(ref _retryAfterSeconds, retryAfterSeconds);
        Volatile.Write(ref _untilTicks, time.GetTimestamp() + (long)(duration.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>Answers <paramref name="context"/> with the injected refusal.</summary>
    public Task RefuseAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var retryAfter = Volatile.Read(ref _retryAfterSeconds);
        return Volatile.Read(ref _status) == StatusCodes.Status418ImATeapot
            ? ErrorResponses.BannedAsync(context, time.GetUtcNow().AddSeconds(retryAfter), retryAfter)
            : ErrorResponses.RateLimitedAsync(context, weightPerMinute, retryAfter);
    }
}
