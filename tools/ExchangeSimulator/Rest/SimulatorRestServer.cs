using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.Rest;

/// <summary>
/// The REST API on its own Kestrel server on 127.0.0.1 and a free port, for tests and local runs. It
/// serves <see cref="Market"/> as it is; advance it through <see cref="SimulatedMarket.AdvanceTo(long, Market.IMarketListener?)"/>.
/// </summary>
public sealed class SimulatorRestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorRestServer(WebApplication app, SimulatedMarket market)
    {
        _app = app;
        Market = market;
    }

    /// <summary>Base address, e.g. <c>http://127.0.0.1:41234/</c>; requests go to <c>api/v3/...</c> or <c>fapi/v1/...</c> under it.</summary>
    public Uri Url => new(_app.Urls.Single().TrimEnd('/') + "/");

    public SimulatedMarket Market { get; }

    public static async Task<SimulatorRestServer> StartAsync(
        SimulatedMarket market, BinanceRestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(market);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        try
        {
            app.MapBinanceRest(market, options);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SimulatorRestServer(app, market);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
