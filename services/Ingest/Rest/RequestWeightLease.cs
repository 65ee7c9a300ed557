namespace Ingest.Rest;

/// <summary>
/// Weight charged by <see cref="RequestWeightBudget.AcquireAsync"/> and the UTC minute it was charged to. A
/// response's <c>X-MBX-USED-WEIGHT-1M</c> is only a correction for that minute: a response arriving after the
/// local minute rolled over must not inflate the new one.
/// </summary>
/// <param name="Weight">The request's weight.</param>
/// <param name="WindowStart">Start of the calendar minute the weight was counted in.</param>
internal readonly record struct RequestWeightLease(int Weight, DateTimeOffset WindowStart);
