using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Ingest.Rest;

/// <summary>
/// Recovers a range of aggregate trade ids of one symbol from REST after a stream gap. Pages with <c>fromId</c>
/// (Binance's paging key, inclusive) until every id of the range is accounted for or the exchange has nothing more;
/// yields the rows in id order as they arrive (so the caller publishes while paging continues), drops rows Binance
/// marks invalid (counting them), and ends with a <see cref="BackfillResult"/> naming the ids nobody can supply:
/// Binance's own history has holes (<c>shared/BINANCE.md</c> 1.4), and those must be reported, not retried forever.
/// </summary>
/// <remarks>
/// Failures: transient ones (network, timeouts, 5xx, unreadable bodies) are retried with <see cref="Backoff"/> up to
/// <see cref="AggTradeBackfillOptions.MaxAttempts"/> per page, then thrown; 429/418 are waited out through the shared
/// <see cref="RequestWeightBudget"/> (the client already paused it for <c>Retry-After</c>) however often they come;
/// anything else (a 400 for an unknown symbol) is thrown at once. Rows already yielded stay yielded: a retry resumes
/// from the next missing id, so nothing is yielded twice.
/// </remarks>
internal sealed class AggTradeBackfiller
{
    private readonly BinanceRestClient _client;
    private readonly TimeProvider _time;
    private readonly AggTradeBackfillOptions _options;

    public AggTradeBackfiller(BinanceRestClient client, TimeProvider timeProvider, AggTradeBackfillOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options ??= new AggTradeBackfillOptions();
        options.Validate();
        _client = client;
        _time = timeProvider;
        _options = options;
    }

    /// <summary>
    /// Every trade of <paramref name="symbol"/> with an id in [<paramref name="fromId"/>, <paramref name="toId"/>], then one
    /// <see cref="BackfillResult"/>.
    /// </summary>
    /// <exception cref="BinanceRestException">A non-transient refusal (bad symbol), or transient failures beyond the attempts allowed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async IAsyncEnumerable<BackfillItem> BackfillAsync(
        string symbol, long fromId, long toId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentOutOfRangeException.ThrowIfNegative(fromId);
        ArgumentOutOfRangeException.ThrowIfLessThan(toId, fromId);
        var backoff = new Backoff(
            _options.RetryMinDelay,
            _options.RetryMaxDelay,
            _options.RetryFactor,
            _options.RandomSeed is { } seed ? new Random(seed) : null);
        var unfillable = new List<AggIdRange>();
        var next = fromId;
        long trades = 0;
        long invalid = 0;
        var pages = 0;
        var retries = 0;
        var exhausted = false;
        while (next <= toId)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (page, pageRetries) = await FetchAsync(symbol, next, backoff, cancellationToken).ConfigureAwait(false);
            pages++;
            retries += pageRetries;
            var advanced = false;
            foreach (var row in page.Rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (row.AggregateId < next)
                {
                    continue;
                }

                if (row.AggregateId > toId)
                {
                    Add(unfillable, next, toId);
                    next = toId + 1;
                    break;
                }

                Add(unfillable, next, row.AggregateId - 1);
                next = row.AggregateId + 1;
                advanced = true;
                if (row.IsMarkedInvalid)
                {
                    invalid++;
                }
                else
                {
                    trades++;
                    yield return new BackfillTrade(symbol, row);
                }
            }

            if (next <= toId && (!page.IsFull || !advanced))
            {
                exhausted = true;
                Add(unfillable, next, toId);
                break;
            }
        }

        yield return new BackfillResult(symbol, fromId, toId, unfillable, trades, invalid, exhausted, pages, retries);
    }

    private async Task<(AggTradesPage Page, int Retries)> FetchAsync(string symbol, long fromId, Backoff backoff, CancellationToken cancellationToken)
    {
        var retries = 0;
        var failures = 0;
        while (true)
        {
            try
            {
                var page = await _client.GetAggTradesPageAsync(symbol, fromId, _options.PageSize, cancellationToken).ConfigureAwait(false);
                backoff.Reset();
                return (page, retries);
            }
            catch (BinanceRateLimitedException refused)
            {
                // The budget is paused for Retry-After: the next request waits in AcquireAsync. Only a zero Retry-After
                // needs a delay of our own, or the loop would hammer the exchange into a ban.
                retries++;
                if (refused.RetryAfter <= TimeSpan.Zero)
                {
                    await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception failure) when (IsTransient(failure, cancellationToken) && ++failures < _options.MaxAttempts)
            {
                retries++;
                await Task.Delay(backoff.Next(), _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static bool IsTransient(Exception failure, CancellationToken cancellationToken) => failure switch
    {
        BinanceRestException rest => rest.IsTransient,
        HttpRequestException or IOException or JsonException => true,

        // HttpClient's own timeout surfaces as a cancellation nobody asked for.
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    /// <summary>Appends [first, last] to <paramref name="ranges"/>, merged with the previous range when adjacent; ignores empty ranges.</summary>
    private static void Add(List<AggIdRange> ranges, long first, long last)
    {
        if (first > last)
        {
            return;
        }

        if (ranges.Count > 0 && ranges[^1].LastId + 1 >= first)
        {
            ranges[^1] = ranges[^1] with { LastId = Math.Max(ranges[^1].LastId, last) };
            return;
        }

        ranges.Add(new AggIdRange(first, last));
    }
}
