using System.Buffers;
using System.Globalization;
using System.Net;
using ExchangeSimulator.Formats;
using ExchangeSimulator.Market;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

using static ExchangeSimulator.Rest.ErrorResponses;
using static ExchangeSimulator.Rest.QueryParameters;

namespace ExchangeSimulator.Rest;

/// <summary>Maps the simulator's Binance REST API onto an ASP.NET Core host.</summary>
public static class BinanceRestEndpoints
{
    /// <summary>
    /// Maps <c>exchangeInfo</c>, <c>aggTrades</c>, <c>depth</c> and <c>klines</c> under <c>/api/v3</c> (Spot) or
    /// <c>/fapi/v1</c> (USD-M futures), after <paramref name="market"/>'s flavor, with Binance's request
    /// weights, <c>X-MBX-USED-WEIGHT-1M</c>, 429/418 and error bodies.
    /// </summary>
    public static IEndpointRouteBuilder MapBinanceRest(this IEndpointRouteBuilder app, SimulatedMarket market, BinanceRestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(market);
        options ??= new BinanceRestOptions();
        options.Validate();
        var api = new BinanceRestApi(market, options);
        var prefix = market.Flavor == MarketFlavor.UsdmFutures ? "/fapi/v1" : "/api/v3";
        app.MapGet(prefix + "/exchangeInfo", api.ExchangeInfoAsync);
        app.MapGet(prefix + "/aggTrades", api.AggTradesAsync);
        app.MapGet(prefix + "/depth", api.DepthAsync);
        app.MapGet(prefix + "/klines", api.KlinesAsync);
        return app;
    }
}

/// <summary>
/// The request handlers. Order per request, as on Binance: the weight is charged first (429/418 before
/// any validation; a bad request still costs its weight), then parameters are checked (400 with a
/// Binance error body), then the market is read under <see cref="SimulatedMarket"/>'s lock and the body
/// written outside it. Weights: <see cref="RestRules"/>.
/// </summary>
internal sealed class BinanceRestApi(SimulatedMarket market, BinanceRestOptions options)
{
    public const string UsedWeightHeader = "X-MBX-USED-WEIGHT-1M";
    public const string TimeUnitHeader = "X-MBX-TIME-UNIT";

    private readonly RequestWeightLimiter _limiter = new(options);
    private readonly RestRules _rules = RestRules.For(market.Flavor);

    public Task ExchangeInfoAsync(HttpContext context)
    {
        if (!TryAdmit(context, _rules.ExchangeInfoWeight, out var refusal))
        {
            return refusal;
        }

        if (!TryTimeUnit(context, out var unit, out var error))
        {
            return error;
        }

        var nowUs = market.NowUs;
        var listings = market.Listings;
        return WriteAsync(context, unit, (writer, buffer) => writer.WriteExchangeInfo(buffer, nowUs, market.Symbols, s => listings.ExchangeInfoStatus(listings.Get(s.Name))));
    }

    public Task AggTradesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryAdmit(context, _rules.AggTradesWeight, out var refusal))
        {
            return refusal;
        }

        if (!TryTimeUnit(context, out var unit, out var error)
            || !TrySymbol(context, out var symbol, out error)
            || !TryLimit(context, query, 500, _rules.AggTradesMaxLimit, out var limit, out error)
            || !TryUnsigned(context, query, "fromId", out var fromId, out error)
            || !TryUnsigned(context, query, "startTime", out var startTime, out error)
            || !TryUnsigned(context, query, "endTime", out var endTime, out error))
        {
            return error;
        }

        var startUs = StartUs(startTime, unit);
        var endUs = EndUs(endTime, unit);
        var trades = market.Read((_, truth) => truth.QueryTrades(symbol.Name, fromId, startUs, endUs, limit));
        return WriteAsync(context, unit, (writer, buffer) => writer.WriteAggTrades(buffer, trades));
    }

    public Task DepthAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var weight = _rules.DepthWeight(ParseLimitOrDefault(query, _rules.DepthDefaultLimit, _rules.DepthMaxLimit));
        if (!TryAdmit(context, weight, out var refusal))
        {
            return refusal;
        }

        if (!TryTimeUnit(context, out var unit, out var error)
            || !TrySymbol(context, out var symbol, out error)
            || !TryLimit(context, query, _rules.DepthDefaultLimit, _rules.DepthMaxLimit, out var limit, out error))
        {
            return error;
        }

        var snapshot = market.Read((simulator, _) => simulator.GetOrderBook(symbol.Name, limit));
        return WriteAsync(context, unit, (writer, buffer) => writer.WriteDepth(buffer, snapshot));
    }

    public Task KlinesAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var weight = _rules.KlinesWeight(ParseLimitOrDefault(query, 500, _rules.KlinesMaxLimit));
        if (!TryAdmit(context, weight, out var refusal))
        {
            return refusal;
        }

        if (!TryTimeUnit(context, out var unit, out var error)
            || !TrySymbol(context, out var symbol, out error)
            || !TryInterval(context, query, out var interval, out error)
            || !TryLimit(context, query, 500, _rules.KlinesMaxLimit, out var limit, out error)
            || !TryUnsigned(context, query, "startTime", out var startTime, out error)
            || !TryUnsigned(context, query, "endTime", out var endTime, out error))
        {
            return error;
        }

        var startUs = StartUs(startTime, unit);
        var endUs = EndUs(endTime, unit);
        var klines = market.Read((source, truth) => source.GetRecordedKlines(symbol.Name, interval) is { } recorded
            ? SelectRecordedKlines(recorded, startUs, endUs, limit)
            : SelectKlines(symbol, truth.GetTrades(symbol.Name), interval, startUs, endUs, limit, source.NowUs));
        return WriteAsync(context, unit, (writer, buffer) => writer.WriteKlines(buffer, klines));
    }

    /// <summary>
    /// Binance's selection: klines whose open time is in [start, end]; with a start, the first
    /// <paramref name="limit"/> of them, otherwise the last. Computed from the trades by
    /// <see cref="Klines.Compute"/>, so intervals without a trade have no row.
    /// </summary>
    internal static IReadOnlyList<Kline> SelectKlines(
        SymbolSpec symbol, IReadOnlyList<AggregateTrade> trades, KlineInterval interval, long? startUs, long? endUs, int limit, long nowUs)
    {
        var first = 0;
        if (startUs is { } start)
        {
            var firstOpen = interval.StartOf(start);
            if (firstOpen < start)
            {
                firstOpen += interval.LengthUs;
            }

            first = LowerBound(trades, firstOpen);
        }

        var end = endUs is { } stop ? LowerBound(trades, interval.StartOf(stop) + interval.LengthUs) : trades.Count;
        if (end <= first)
        {
            return [];
        }

        var klines = Klines.Compute(symbol, Range(trades, first, end), interval, nowUs);
        if (klines.Count <= limit)
        {
            return klines;
        }

        return startUs is not null ? [.. klines.Take(limit)] : [.. klines.Skip(klines.Count - limit)];
    }

    /// <summary>The same selection over klines a recording holds (open time in [start, end]; first or last <paramref name="limit"/>).</summary>
    internal static IReadOnlyList<Kline> SelectRecordedKlines(IReadOnlyList<Kline> recorded, long? startUs, long? endUs, int limit)
    {
        var selected = new List<Kline>();
        foreach (var kline in recorded)
        {
            if ((startUs is null || kline.OpenTimeUs >= startUs) && (endUs is null || kline.OpenTimeUs <= endUs))
            {
                selected.Add(kline);
            }
        }

        if (selected.Count <= limit)
        {
            return selected;
        }

        return startUs is not null ? selected.GetRange(0, limit) : selected.GetRange(selected.Count - limit, limit);
    }

    private static IEnumerable<AggregateTrade> Range(IReadOnlyList<AggregateTrade> trades, int first, int end)
    {
        for (var i = first; i < end; i++)
        {
            yield return trades[i];
        }
    }

    private static int LowerBound(IReadOnlyList<AggregateTrade> trades, long timeUs)
    {
        var (low, high) = (0, trades.Count);
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (trades[middle].TradeTimeUs < timeUs)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private bool TryAdmit(HttpContext context, int weight, out Task refusal)
    {
        var client = context.Connection.RemoteIpAddress ?? IPAddress.None;
        if (client.IsIPv4MappedToIPv6)
        {
            client = client.MapToIPv4();
        }

        var admission = _limiter.Admit(client, weight);
        context.Response.Headers[UsedWeightHeader] = admission.UsedWeight.ToString(CultureInfo.InvariantCulture);
        switch (admission.Kind)
        {
            case AdmissionKind.Allowed:
                refusal = Task.CompletedTask;
                return true;
            case AdmissionKind.RateLimited:
                refusal = RateLimitedAsync(context, options.RequestWeightPerMinute, admission.RetryAfterSeconds);
                return false;
            default:
                refusal = BannedAsync(context, admission.BannedUntil, admission.RetryAfterSeconds);
                return false;
        }
    }

    /// <summary><c>X-MBX-TIME-UNIT</c>: <c>MILLISECOND</c> (default) or <c>MICROSECOND</c>, Spot only; futures ignore it.</summary>
    private bool TryTimeUnit(HttpContext context, out BinanceTimeUnit unit, out Task error)
    {
        unit = BinanceTimeUnit.Millisecond;
        error = Task.CompletedTask;
        if (market.Flavor != MarketFlavor.Spot || !context.Request.Headers.TryGetValue(TimeUnitHeader, out var values))
        {
            return true;
        }

        var value = values.ToString();
        if (string.Equals(value, "MICROSECOND", StringComparison.OrdinalIgnoreCase))
        {
            unit = BinanceTimeUnit.Microsecond;
            return true;
        }

        if (string.Equals(value, "MILLISECOND", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        error = BadRequestAsync(context, BinanceErrors.InvalidParameter, BinanceErrors.InvalidParameterMessage(TimeUnitHeader));
        return false;
    }

    private bool TrySymbol(HttpContext context, out SymbolSpec symbol, out Task error)
    {
        symbol = null!;
        error = Task.CompletedTask;
        var value = context.Request.Query["symbol"].ToString();
        if (value.Length == 0)
        {
            error = BadRequestAsync(context, BinanceErrors.MandatoryParameter, BinanceErrors.MandatoryParameterMessage("symbol"));
            return false;
        }

        if (value.Length > 20 || !value.All(static c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-' or '_' or '.'))
        {
            error = BadRequestAsync(context, BinanceErrors.IllegalChars, BinanceErrors.IllegalCharsMessage("symbol", BinanceErrors.SymbolRange));
            return false;
        }

        // A symbol not listed yet is unknown to the exchange; a delisted one keeps its history.
        if (!market.SymbolsByName.TryGetValue(value, out var found) || market.Listings.Get(value) == ListingStatus.Unlisted)
        {
            error = BadRequestAsync(context, BinanceErrors.BadSymbol, "Invalid symbol.");
            return false;
        }

        symbol = found;
        return true;
    }

    private Task WriteAsync(HttpContext context, BinanceTimeUnit unit, Action<BinanceRestWriter, IBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new BinanceRestWriter(market.Flavor, unit))
        {
            write(writer, buffer);
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json;charset=UTF-8";
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }
}
