using System.Net;
using ExchangeSimulator.Rest;
using ExchangeSimulator.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.Hosting;

/// <summary>
/// One region's listener: WebSocket market streams (<c>/ws</c>, <c>/stream</c>, and on futures the
/// <c>/public</c> and <c>/market</c> families) and the REST API, on one Kestrel server (on 127.0.0.1 unless configured otherwise).
/// A region taken down answers 503 to everything; an injected REST throttle answers 429 or 418.
/// </summary>
public sealed class RegionServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();

    private RegionServer(WebApplication app, ExchangeRegion region, RestThrottle throttle)
    {
        _app = app;
        Region = region;
        Throttle = throttle;
    }

    public ExchangeRegion Region { get; }

    public RestThrottle Throttle { get; }

    /// <summary>HTTP base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri HttpUrl => new(_app.Urls.Single().TrimEnd('/') + "/");

    /// <summary>WebSocket base address, e.g. <c>ws://127.0.0.1:41234/</c>.</summary>
    public Uri WebSocketUrl => new("ws" + HttpUrl.ToString()["http".Length..]);

    internal static async Task<RegionServer> StartAsync(
        ExchangeRegion region, SimulatedMarket market, BinanceRestOptions restOptions, IPAddress address, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(address, port);
            kestrel.AddServerHeader = false;

            // A combined-stream URL with 1024 stream names is ~25 KB: larger than Kestrel's default request line.
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestBufferSize = 128 * 1024;
        });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        var throttle = new RestThrottle(restOptions.TimeProvider, restOptions.RequestWeightPerMinute);
        var server = new RegionServer(app, region, throttle);
        try
        {
            app.Use(async (context, next) =>
            {
                if (region.IsDown)
                {
                    region.Metrics.HandshakeRefused();
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }

                var path = context.Request.Path.Value ?? "/";
                if (IsStreamPath(path))
                {
                    await region.HandleAsync(context, server._stopping.Token).ConfigureAwait(false);
                    return;
                }

                if (throttle.IsActive)
                {
                    await throttle.RefuseAsync(context).ConfigureAwait(false);
                    return;
                }

                await next(context).ConfigureAwait(false);
            });
            app.MapBinanceRest(market, restOptions);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
    }

    private static bool IsStreamPath(string path) =>
        path.StartsWith("/ws", StringComparison.Ordinal)
        || path.StartsWith("/stream", StringComparison.Ordinal)
        || path.StartsWith("/public/", StringComparison.Ordinal)
        || path.StartsWith("/market/", StringComparison.Ordinal);
}
