using System.Text.Json;
using System.Text.Json.Serialization;
using ExchangeSimulator.Faults;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ExchangeSimulator.Control;

/// <summary>
/// The simulator's control and ground-truth API (JSON over HTTP), on its own listener so that faults never
/// touch it:
/// <list type="bullet">
/// <item><c>GET /markets</c>: markets, regions and their URLs, simulated time;</item>
/// <item><c>GET /markets/{m}/regions/{r}/connections</c>, <c>…/connections/{id}/streams</c>; <c>POST …/faults</c> (a <see cref="ConnectionFault"/>);
/// <c>POST …/down</c> <c>{"durationMs":…}</c>; <c>POST …/up</c>; <c>POST …/rest-throttle</c> <c>{"status":429,"durationMs":…,"retryAfterSeconds":…}</c>;</item>
/// <item><c>POST /markets/{m}/holes</c> (a <see cref="HistoryHole"/>); <c>GET /markets/{m}/holes</c>;</item>
/// <item><c>GET /markets/{m}/symbols</c>: each symbol's listing status; <c>POST /markets/{m}/symbols/{s}/list</c> and
/// <c>…/delist</c>: list or delist a symbol at the simulated time reached;</item>
/// <item><c>POST /markets/{m}/pause</c> and <c>…/resume</c>: hold the clock, so the ground truth is final while a check reads it;</item>
/// <item><c>GET /markets/{m}/truth/symbols</c>: per symbol, trades and id range the exchange produced;
/// <c>GET /markets/{m}/truth/windows?symbol=…</c>: every 15-minute window's totals (what the pipeline must compute).</item>
/// </list>
/// </summary>
public static class ControlApi
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.Strict,
    };

    public static IEndpointRouteBuilder MapSimulatorControl(this IEndpointRouteBuilder app, ISimulatedExchanges simulator)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(simulator);
        app.MapGet("/markets", () => Results.Json(simulator.Exchanges.Select(Describe), Json));
        app.MapGet("/markets/{market}/regions/{region}/connections", (string market, string region) =>
            WithRegion(simulator, market, region, server => Results.Json(server.Region.Connections(), Json)));
        app.MapGet("/markets/{market}/regions/{region}/connections/{id:long}/streams", (string market, string region, long id) =>
            WithRegion(simulator, market, region, server => server.Region.Subscriptions(id) is { } streams
                ? Results.Json(streams, Json)
                : Results.NotFound(new { error = $"no connection {id} in region {region}" })));
        app.MapPost("/markets/{market}/regions/{region}/faults", async (string market, string region, HttpRequest request) =>
        {
            var fault = await ReadAsync<ConnectionFault>(request).ConfigureAwait(false);
            var problem = fault is null ? "body must be a fault" : fault.Problem();
            if (fault is null || problem is not null)
            {
                return Results.BadRequest(new { error = problem });
            }

            return WithRegion(simulator, market, region, server =>
            {
                var applied = server.Region.Apply(fault);
                return applied == 0 && fault.Connection is not null
                    ? Results.NotFound(new { error = $"no connection {fault.Connection} in region {region}" })
                    : Results.Json(new { applied }, Json);
            });
        });
        app.MapPost("/markets/{market}/regions/{region}/down", async (string market, string region, HttpRequest request) =>
        {
            var body = await ReadAsync<DurationBody>(request).ConfigureAwait(false);
            if (body is not { DurationMs: > 0 })
            {
                return Results.BadRequest(new { error = "durationMs must be positive" });
            }

            return WithRegion(simulator, market, region, server =>
            {
                server.Region.TakeDown(TimeSpan.FromMilliseconds(body.DurationMs));
                return Results.Json(new { down = true }, Json);
            });
        });
        app.MapPost("/markets/{market}/regions/{region}/up", (string market, string region) =>
            WithRegion(simulator, market, region, server =>
            {
                server.Region.BringUp();
                return Results.Json(new { down = false }, Json);
            }));
        app.MapPost("/markets/{market}/regions/{region}/rest-throttle", async (string market, string region, HttpRequest request) =>
        {
            var body = await ReadAsync<ThrottleBody>(request).ConfigureAwait(false);
            if (body is null || body.Status is not (429 or 418) || body.DurationMs <= 0 || body.RetryAfterSeconds < 0)
            {
                return Results.BadRequest(new { error = "status must be 429 or 418, durationMs positive, retryAfterSeconds not negative" });
            }

            return WithRegion(simulator, market, region, server =>
            {
                server.Throttle.Activate(body.Status, TimeSpan.FromMilliseconds(body.DurationMs), body.RetryAfterSeconds);
                return Results.Json(new { throttled = true }, Json);
            });
        });
        app.MapPost("/markets/{market}/holes", async (string market, HttpRequest request) =>
        {
            var hole = await ReadAsync<HistoryHole>(request).ConfigureAwait(false);
            if (hole is null || hole.FirstId > hole.LastId || string.IsNullOrEmpty(hole.Symbol))
            {
                return Results.BadRequest(new { error = "a hole needs symbol, firstId <= lastId" });
            }

            return WithMarket(simulator, market, exchange =>
            {
                if (!exchange.Market.SymbolsByName.ContainsKey(hole.Symbol))
                {
                    return Results.NotFound(new { error = $"no symbol {hole.Symbol}" });
                }

                exchange.Market.Holes.Add(hole);
                return Results.Json(hole, Json);
            });
        });
        app.MapGet("/markets/{market}/symbols", (string market) =>
            WithMarket(simulator, market, exchange =>
            {
                var nowUs = exchange.Market.NowUs;
                return Results.Json(exchange.Market.Listings.Snapshot().Select(l => Listing(exchange, l.Symbol.Name, l.Status, nowUs)), Json);
            }));
        app.MapPost("/markets/{market}/symbols/{symbol}/list", (string market, string symbol) =>
            WithMarket(simulator, market, exchange => ChangeListing(exchange, symbol, ListingStatus.Trading)));
        app.MapPost("/markets/{market}/symbols/{symbol}/delist", (string market, string symbol) =>
            WithMarket(simulator, market, exchange => ChangeListing(exchange, symbol, ListingStatus.Delisted)));
        app.MapPost("/markets/{market}/pause", (string market) =>
            WithMarket(simulator, market, exchange =>
            {
                exchange.Pause();
                return Results.Json(new { paused = true, nowUs = exchange.Market.NowUs }, Json);
            }));
        app.MapPost("/markets/{market}/resume", (string market) =>
            WithMarket(simulator, market, exchange =>
            {
                exchange.Resume();
                return Results.Json(new { paused = false }, Json);
            }));
        app.MapGet("/markets/{market}/holes", (string market) =>
            WithMarket(simulator, market, exchange => Results.Json(exchange.Market.Holes.All, Json)));
        app.MapGet("/markets/{market}/truth/symbols", (string market) =>
            WithMarket(simulator, market, exchange => Results.Json(exchange.Market.Read((_, truth) => SymbolTruths(exchange, truth)), Json)));
        app.MapGet("/markets/{market}/truth/windows", (string market, string? symbol) =>
            WithMarket(simulator, market, exchange =>
            {
                if (symbol is null || !exchange.Market.SymbolsByName.ContainsKey(symbol))
                {
                    return Results.NotFound(new { error = $"unknown symbol '{symbol}'" });
                }

                return Results.Json(exchange.Market.Read((_, truth) => truth.GetWindows(symbol).ToList()), Json);
            }));
        return app;
    }

    private static object Describe(SimulatedExchange exchange) => new
    {
        market = exchange.Name,
        flavor = exchange.Market.Flavor,
        nowUs = exchange.Market.NowUs,
        symbols = exchange.Market.Symbols.Count,
        regions = exchange.Regions.Select(r => new
        {
            name = r.Region.Name,
            http = r.HttpUrl,
            webSocket = r.WebSocketUrl,
            down = r.Region.IsDown,
            connections = r.Region.Connections().Count,
        }),
    };

    private static IResult ChangeListing(SimulatedExchange exchange, string symbol, ListingStatus status)
    {
        if (!exchange.Market.Listings.TryGet(symbol, out _))
        {
            return Results.NotFound(new { error = $"no symbol '{symbol}' in market '{exchange.Name}' (names are upper case, e.g. BTCUSDT)" });
        }

        try
        {
            var atUs = exchange.Market.SetListing(symbol, status);
            return Results.Json(Listing(exchange, symbol, exchange.Market.Listings.Get(symbol), atUs), Json);
        }
        catch (InvalidOperationException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    private static SymbolListing Listing(SimulatedExchange exchange, string symbol, ListingStatus status, long atUs) =>
        new(symbol, status, exchange.Market.Listings.ExchangeInfoStatus(status), atUs);

    private static List<SymbolTruth> SymbolTruths(SimulatedExchange exchange, GroundTruth truth)
    {
        var result = new List<SymbolTruth>(exchange.Market.Symbols.Count);
        foreach (var symbol in exchange.Market.Symbols)
        {
            var trades = truth.GetTrades(symbol.Name);
            if (trades.Count > 0)
            {
                result.Add(new SymbolTruth(symbol.Name, trades.Count, trades[0].AggregateId, trades[^1].AggregateId, trades[^1].TradeTimeUs));
            }
        }

        return result;
    }

    private static IResult WithMarket(ISimulatedExchanges simulator, string market, Func<SimulatedExchange, IResult> action)
    {
        var exchange = simulator.Exchanges.FirstOrDefault(e => e.Name == market);
        return exchange is null ? Results.NotFound(new { error = $"no market '{market}'" }) : action(exchange);
    }

    private static IResult WithRegion(ISimulatedExchanges simulator, string market, string region, Func<RegionServer, IResult> action) =>
        WithMarket(simulator, market, exchange =>
        {
            var server = exchange.Regions.FirstOrDefault(r => r.Region.Name == region);
            return server is null ? Results.NotFound(new { error = $"no region '{region}' in market '{market}'" }) : action(server);
        });

    private static async Task<T?> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        try
        {
            return await request.ReadFromJsonAsync<T>(Json, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record DurationBody(long DurationMs);

    private sealed record ThrottleBody(int Status, long DurationMs, int RetryAfterSeconds);

    /// <summary>A symbol's listing: <paramref name="ExchangeInfoStatus"/> is what <c>exchangeInfo</c> prints (null: not there), as of simulated time <paramref name="AtUs"/>.</summary>
    public sealed record SymbolListing(string Symbol, ListingStatus Status, string? ExchangeInfoStatus, long AtUs);

    /// <summary>What the exchange produced for one symbol.</summary>
    public sealed record SymbolTruth(string Symbol, int Trades, long FirstAggregateId, long LastAggregateId, long LastTradeTimeUs);
}
