using System.Net;
using ExchangeSimulator.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ExchangeSimulator.Hosting;

/// <summary>
/// The whole simulator in one process: one or more markets, each served by its regions' listeners, and the
/// control API on its own listener. Tests start it in-process; the ExchangeSimulator program hosts it.
/// </summary>
public sealed class ExchangeSimulatorServer : ISimulatedExchanges, IAsyncDisposable
{
    private readonly List<SimulatedExchange> _exchanges;
    private readonly WebApplication _control;

    private ExchangeSimulatorServer(List<SimulatedExchange> exchanges, WebApplication control)
    {
        _exchanges = exchanges;
        _control = control;
    }

    public IReadOnlyList<SimulatedExchange> Exchanges => _exchanges;

    /// <summary>Base address of the control API.</summary>
    public Uri ControlUrl => new(_control.Urls.Single().TrimEnd('/') + "/");

    public SimulatedExchange Exchange(string name) =>
        _exchanges.Find(e => e.Name == name) ?? throw new KeyNotFoundException($"No market '{name}'.");

    /// <param name="markets">The markets to serve.</param>
    /// <param name="controlPort">Port of the control API (0: a free one).</param>
    /// <param name="loggerFactory">Logs of connections and faults (none when null).</param>
    /// <param name="configureControl">Adds services to the control API's host (the program adds its service defaults).</param>
    /// <param name="mapControl">Adds endpoints to the control API (the program adds /metrics, /healthz, /readyz).</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    public static async Task<ExchangeSimulatorServer> StartAsync(
        IReadOnlyList<ExchangeSettings> markets,
        int controlPort = 0,
        ILoggerFactory? loggerFactory = null,
        Action<WebApplicationBuilder>? configureControl = null,
        Action<WebApplication>? mapControl = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(markets);
        if (markets.Count == 0 || markets.Select(m => m.Name).Distinct(StringComparer.Ordinal).Count() != markets.Count)
        {
            throw new ArgumentException("Market names must be distinct and at least one market given.", nameof(markets));
        }

        loggerFactory ??= NullLoggerFactory.Instance;
        var exchanges = new List<SimulatedExchange>();
        WebApplication? control = null;
        try
        {
            foreach (var market in markets)
            {
                exchanges.Add(await SimulatedExchange.StartAsync(market, loggerFactory, cancellationToken).ConfigureAwait(false));
            }

            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, controlPort));
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            configureControl?.Invoke(builder);
            control = builder.Build();
            var server = new ExchangeSimulatorServer(exchanges, control);
            control.MapSimulatorControl(server);
            mapControl?.Invoke(control);
            await control.StartAsync(cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            foreach (var exchange in exchanges)
            {
                await exchange.DisposeAsync().ConfigureAwait(false);
            }

            if (control is not null)
            {
                await control.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var exchange in _exchanges)
        {
            await exchange.DisposeAsync().ConfigureAwait(false);
        }

        await _control.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _control.DisposeAsync().ConfigureAwait(false);
    }
}
