using System.Globalization;
using System.Net;
using Streaming.Contracts.Common.V1;

namespace Ingest.Rest;

/// <summary>
/// The few Binance REST market-data calls ingest needs, Spot (<c>/api/v3</c>) or USD-M futures (<c>/fapi/v1</c>).
/// Every call is charged to the shared <see cref="RequestWeightBudget"/> before it is sent and corrects it from
/// <c>X-MBX-USED-WEIGHT-1M</c> after; a 429/418 pauses the budget for <c>Retry-After</c> and throws
/// <see cref="BinanceRateLimitedException"/>; other non-2xx statuses throw <see cref="BinanceRestException"/>;
/// network errors (<see cref="HttpRequestException"/>, timeouts) propagate as they are, for the caller's retry policy.
/// The <see cref="HttpClient"/> is the caller's (from a factory or shared): it is not disposed here.
/// </summary>
/// <remarks>
/// Weights. Spot, <c>shared/BINANCE.md</c> 1.4 and Binance's Spot REST reference: <c>aggTrades</c> 4 (raised from 2 on
/// 2025-03-10), <c>exchangeInfo</c> 20. USD-M futures, Binance's USD-M "Market Data Endpoints" reference (BINANCE.md does
/// not list them; the simulator's <c>RestRules</c> uses the same figures): <c>aggTrades</c> 20, <c>exchangeInfo</c> 1.
/// A too-low figure is caught by the header correction; a too-high one only slows the backfill.
/// </remarks>
internal sealed class BinanceRestClient
{
    /// <summary>The header with the IP's weight used in the current minute, on every response including refusals.</summary>
    public const string UsedWeightHeader = "X-MBX-USED-WEIGHT-1M";

    /// <summary>Binance's maximum <c>limit</c> for <c>aggTrades</c> (both markets).</summary>
    public const int MaxAggTradesLimit = 1000;

    /// <summary>Wait after a 429 without <c>Retry-After</c>: the weight window is a minute, so at most until it ends.</summary>
    internal static readonly TimeSpan DefaultRateLimitedRetryAfter = TimeSpan.FromMinutes(1);

    /// <summary>Wait after a 418 without <c>Retry-After</c>: Binance's shortest ban ("from 2 minutes to 3 days").</summary>
    internal static readonly TimeSpan DefaultBannedRetryAfter = TimeSpan.FromMinutes(2);

    private readonly HttpClient _http;
    private readonly RequestWeightBudget _budget;
    private readonly string _prefix;

    /// <param name="http">Sends the requests; its own <see cref="HttpClient.BaseAddress"/> is ignored.</param>
    /// <param name="baseUrl">
    /// The REST host, e.g. <c>https://api.binance.com/</c>, the market-data-only <c>https://data-api.binance.vision/</c>, or
    /// <c>https://fapi.binance.com/</c>.
    /// </param>
    /// <param name="market">Spot or USD-M futures: the path prefix and the weights.</param>
    /// <param name="budget">The pod's shared weight budget.</param>
    public BinanceRestClient(HttpClient http, Uri baseUrl, Market market, RequestWeightBudget budget)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentNullException.ThrowIfNull(budget);
        if (!baseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URL must be absolute.", nameof(baseUrl));
        }

        (_prefix, ExchangeInfoWeight, AggTradesWeight) = market switch
        {
            Market.Spot => ("api/v3/", 20, 4),
            Market.UsdmFutures => ("fapi/v1/", 1, 20),
            _ => throw new ArgumentOutOfRangeException(nameof(market), market, "Spot or USD-M futures."),
        };
        _http = http;
        _budget = budget;
        Market = market;
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    public Market Market { get; }

    public Uri BaseUrl { get; }

    public int ExchangeInfoWeight { get; }

    public int AggTradesWeight { get; }

    /// <summary>Every symbol the exchange lists, whatever its status.</summary>
    public async Task<IReadOnlyList<ExchangeSymbol>> GetExchangeInfoAsync(CancellationToken cancellationToken)
    {
        var body = await GetAsync("exchangeInfo", ExchangeInfoWeight, cancellationToken).ConfigureAwait(false);
        return BinanceRestJson.ReadExchangeInfo(body);
    }

    /// <summary>
    /// Up to <paramref name="limit"/> aggregate trades of <paramref name="symbol"/> from id <paramref name="fromId"/>
    /// (inclusive), ascending. Binance pages past ids missing from its history, so the first row may be above
    /// <paramref name="fromId"/>; a page shorter than <paramref name="limit"/> means there was nothing more.
    /// </summary>
    public async Task<AggTradesPage> GetAggTradesPageAsync(
        string symbol, long fromId, int limit = MaxAggTradesLimit, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentOutOfRangeException.ThrowIfNegative(fromId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxAggTradesLimit);
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"aggTrades?symbol={Uri.EscapeDataString(symbol.ToUpperInvariant())}&fromId={fromId}&limit={limit}");
        var body = await GetAsync(query, AggTradesWeight, cancellationToken).ConfigureAwait(false);
        return new AggTradesPage(symbol, fromId, limit, BinanceRestJson.ReadAggTrades(body), body);
    }

    /// <summary>
    /// The id of the first aggregate trade of <paramref name="symbol"/> at or after <paramref name="startTimeMs"/>, or null when
    /// none within the following hour (Binance serves a time range of at most one hour per request).
    /// </summary>
    public async Task<long?> GetFirstAggTradeIdSinceAsync(string symbol, long startTimeMs, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        ArgumentOutOfRangeException.ThrowIfNegative(startTimeMs);
        var endTimeMs = startTimeMs + (59 * 60 * 1000);
        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"aggTrades?symbol={Uri.EscapeDataString(symbol.ToUpperInvariant())}&startTime={startTimeMs}&endTime={endTimeMs}&limit=1");
        var body = await GetAsync(query, AggTradesWeight, cancellationToken).ConfigureAwait(false);
        var rows = BinanceRestJson.ReadAggTrades(body);
        return rows.Count > 0 ? rows[0].AggregateId : null;
    }

    private async Task<byte[]> GetAsync(string pathAndQuery, int weight, CancellationToken cancellationToken)
    {
        var uri = new Uri(BaseUrl, _prefix + pathAndQuery);
        var lease = await _budget.AcquireAsync(weight, cancellationToken).ConfigureAwait(false);
        using var response = await _http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (TryUsedWeight(response, out var used))
        {
            _budget.ObserveUsedWeight(lease, used);
        }

        var status = response.StatusCode;
        if (status is HttpStatusCode.TooManyRequests or (HttpStatusCode)418)
        {
            var retryAfter = RetryAfter(response, status);
            _budget.Pause(retryAfter);
            var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new BinanceRateLimitedException(status, retryAfter, code, message, uri);
        }

        if (!response.IsSuccessStatusCode)
        {
            var (code, message) = await ReadErrorAsync(response, cancellationToken).ConfigureAwait(false);
            throw new BinanceRestException(status, code, message, uri);
        }

        return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool TryUsedWeight(HttpResponseMessage response, out int used)
    {
        used = 0;
        return response.Headers.TryGetValues(UsedWeightHeader, out var values)
            && int.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out used);
    }

    private TimeSpan RetryAfter(HttpResponseMessage response, HttpStatusCode status)
    {
        var header = response.Headers.RetryAfter;
        var fromHeader = header?.Delta
            ?? (header?.Date is { } date ? date - _budget.TimeProvider.GetUtcNow() : null);
        if (fromHeader is { } delay)
        {
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return status == HttpStatusCode.TooManyRequests ? DefaultRateLimitedRetryAfter : DefaultBannedRetryAfter;
    }

    private static async Task<(int? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return BinanceRestJson.ReadError(body);
    }
}
