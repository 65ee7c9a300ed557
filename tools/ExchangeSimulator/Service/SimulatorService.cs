using System.Text.Json;
using ExchangeSimulator.Control;
using ExchangeSimulator.Hosting;
using ExchangeSimulator.Market;
using ExchangeSimulator.Replay;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Hosting;

namespace ExchangeSimulator.Service;

/// <summary>
/// Starts the configured markets with their regions' listeners (start-up fails if one cannot listen), then
/// moves simulated time with the wall clock until the host stops. Simulated markets start at the current time,
/// so event times look live to clients that measure lag.
/// </summary>
internal sealed partial class SimulatorService(
    IOptions<SimulatorOptions> options, ILoggerFactory loggerFactory, TimeProvider time, ReadinessGate readiness) : BackgroundService, ISimulatedExchanges
{
    public const string ReadyCondition = "markets-listening";

    private SimulatorOptions _options = new();
    private readonly ILogger _logger = loggerFactory.CreateLogger<SimulatorService>();
    private readonly List<SimulatedExchange> _exchanges = [];

    public IReadOnlyList<SimulatedExchange> Exchanges => _exchanges;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Read here, not in the constructor: an invalid configuration must fail start-up, where it is reported by key.
        _options = options.Value;
        foreach (var (name, section, flavor) in new[] { ("spot", _options.Spot, MarketFlavor.Spot), ("futures", _options.Futures, MarketFlavor.UsdmFutures) })
        {
            if (!section.Enabled)
            {
                continue;
            }

            var source = await CreateSourceAsync(section, flavor, cancellationToken).ConfigureAwait(false);
            var key = $"{SimulatorOptions.SectionName}:{(flavor == MarketFlavor.Spot ? "Spot" : "Futures")}:Unlisted";
            if (SimulatorOptionsValidator.UnknownSymbols(section.Unlisted, source.Symbols.Select(s => s.Name).ToHashSet(StringComparer.Ordinal)) is { } unknown)
            {
                throw new OptionsValidationException(SimulatorOptions.SectionName, typeof(SimulatorOptions), [$"{key}: {unknown}"]);
            }

            var exchange = await SimulatedExchange.StartAsync(
                new ExchangeSettings
                {
                    Name = name,
                    Source = source,
                    Unlisted = section.Unlisted,
                    Regions = [.. section.EffectiveRegions.Keys],
                    Ports = section.EffectiveRegions,
                    ListenAddress = System.Net.IPAddress.Parse(_options.ListenAddress),
                },
                loggerFactory,
                cancellationToken).ConfigureAwait(false);
            _exchanges.Add(exchange);
            foreach (var region in exchange.Regions)
            {
                Listening(_logger, name, region.Region.Name, region.WebSocketUrl.ToString(), region.HttpUrl.ToString());
            }
        }

        if (_options.EndpointsFile is { } file)
        {
            var endpoints = _exchanges.ToDictionary(
                e => e.Name,
                e => e.Regions.ToDictionary(r => r.Region.Name, r => new { webSocket = r.WebSocketUrl, http = r.HttpUrl }));
            // Written aside and renamed: a script polling for the file never reads it half-written.
            var partial = file + ".partial";
            await File.WriteAllTextAsync(partial, JsonSerializer.Serialize(endpoints), cancellationToken).ConfigureAwait(false);
            File.Move(partial, file, overwrite: true);
        }

        readiness.Set(ReadyCondition);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        foreach (var exchange in _exchanges)
        {
            await exchange.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_exchanges
            .Select(e => e.RunClockAsync(_options.Speed, _options.Tick, time, stoppingToken))
            .Concat(_options.Faults.Select(f => InjectAtAsync(f, stoppingToken))));

    private async Task InjectAtAsync(ScheduledFault fault, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(fault.At, time, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var region = _exchanges.Single(e => e.Name == fault.Market).Region(fault.Region);
        switch (fault.Kind)
        {
            case ScheduledFault.RegionDown:
                region.Region.TakeDown(fault.Duration!.Value);
                break;
            case ScheduledFault.RestThrottle:
                region.Throttle.Activate(fault.Code!.Value, fault.Duration!.Value, fault.RetryAfterSeconds);
                break;
            default:
                region.Region.Apply(fault.ToConnectionFault()!);
                break;
        }

        FaultInjected(_logger, fault.Kind, fault.Market, fault.Region);
    }

    private async Task<IMarketSource> CreateSourceAsync(MarketSection section, MarketFlavor flavor, CancellationToken cancellationToken)
    {
        if (section.Replay.Count > 0)
        {
            return await RecordingSource.LoadAsync(new ReplayOptions { Files = section.Replay, Flavor = flavor }, cancellationToken).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        return new MarketSimulator(new MarketOptions
        {
            Seed = section.Seed,
            Flavor = flavor,
            SymbolCount = section.Symbols,
            TradesPerSecond = section.TradesPerSecond,
            Start = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()),
        });
    }

    [LoggerMessage(2, LogLevel.Warning, "Scheduled fault {Kind} injected into {Market} region {Region}")]
    private static partial void FaultInjected(ILogger logger, string kind, string market, string region);

    [LoggerMessage(1, LogLevel.Information, "Market {Market} region {Region}: streams at {WebSocket}, REST at {Http}")]
    private static partial void Listening(ILogger logger, string market, string region, string webSocket, string http);
}
