using ExchangeSimulator.Market;
using ExchangeSimulator.Rest;
using ExchangeSimulator.Streams;
using ExchangeSimulator.WebSockets;
using Microsoft.Extensions.Logging;

namespace ExchangeSimulator.Hosting;

/// <summary>
/// One simulated market served by several regions: the source and its ground truth, the publisher that turns
/// events into stream messages for every region, and the regions' servers. Time moves only through
/// <see cref="AdvanceTo"/> (tests, step by step) or <see cref="RunClockAsync"/> (wall clock × speed).
/// </summary>
public sealed class SimulatedExchange : IAsyncDisposable
{
    private readonly StreamPublisher _publisher;
    private readonly List<RegionServer> _regions;
    private volatile bool _paused;
    private long _pausedAtUs;

    private SimulatedExchange(string name, SimulatedMarket market, StreamDirectory directory, StreamPublisher publisher, List<RegionServer> regions)
    {
        Name = name;
        Market = market;
        Directory = directory;
        _publisher = publisher;
        _regions = regions;
    }

    public string Name { get; }

    public SimulatedMarket Market { get; }

    public StreamDirectory Directory { get; }

    public IReadOnlyList<RegionServer> Regions => _regions;

    /// <summary>Stream messages handed to connections so far, over all regions.</summary>
    public long DeliveredCount => Market.Read((_, _) => _publisher.DeliveredCount);

    public RegionServer Region(string name) =>
        _regions.Find(r => r.Region.Name == name) ?? throw new KeyNotFoundException($"No region '{name}' in market '{Name}'.");

    public static async Task<SimulatedExchange> StartAsync(ExchangeSettings settings, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        if (settings.Regions.Count == 0 || settings.Regions.Distinct(StringComparer.Ordinal).Count() != settings.Regions.Count)
        {
            throw new ArgumentException($"Market '{settings.Name}': region names must be distinct and at least one.", nameof(settings));
        }

        var source = settings.Source;
        var market = new SimulatedMarket(source, new GroundTruth(source.Symbols), settings.Unlisted);
        var directory = new StreamDirectory(source.Symbols, source.Flavor, settings.Publisher.KlineIntervals);
        var streamOptions = settings.Streams ?? StreamServerOptions.For(source.Flavor);
        var logger = loggerFactory.CreateLogger("ExchangeSimulator." + settings.Name);
        var regions = settings.Regions
            .Select(name => new ExchangeRegion(settings.Name, name, source.Flavor, directory, streamOptions, logger))
            .ToList();
        var holes = market.Holes;
        var publisher = new StreamPublisher(
            directory, source.Flavor, source.ProvidesKlines, regions, settings.Publisher, holes.IsWithheld, source.NowUs);
        var servers = new List<RegionServer>();
        try
        {
            foreach (var region in regions)
            {
                var port = settings.Ports.TryGetValue(region.Name, out var fixedPort) ? fixedPort : 0;
                servers.Add(await RegionServer.StartAsync(region, market, settings.Rest, settings.ListenAddress, port, cancellationToken).ConfigureAwait(false));
            }
        }
        catch
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }

            publisher.Dispose();
            throw;
        }

        return new SimulatedExchange(settings.Name, market, directory, publisher, servers);
    }

    /// <summary>Whether <see cref="RunClockAsync"/> holds time still (the ground truth is then final until resumed).</summary>
    public bool IsPaused => _paused;

    /// <summary>Stops the clock: no event is produced until <see cref="Resume"/>; simulated time then continues where it stopped.</summary>
    public void Pause()
    {
        Interlocked.Exchange(ref _pausedAtUs, Market.NowUs);
        _paused = true;
    }

    public void Resume() => _paused = false;

    /// <summary>Produces and publishes every event up to <paramref name="untilUs"/> (simulated microseconds).</summary>
    public void AdvanceTo(long untilUs) => Market.AdvanceTo(untilUs, _publisher);

    /// <summary>Advances simulated time with the wall clock: <paramref name="speed"/> simulated seconds per second, from the market's current time.</summary>
    /// <param name="speed">Acceleration (1 = real time).</param>
    /// <param name="tick">How often time is advanced (a smaller tick means smoother delivery).</param>
    /// <param name="time">The wall clock.</param>
    /// <param name="cancellationToken">Stops the clock.</param>
    public async Task RunClockAsync(double speed, TimeSpan tick, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(speed);
        ArgumentNullException.ThrowIfNull(time);
        var startUs = Market.NowUs;
        var startTicks = time.GetTimestamp();
        var endUs = Market.Read((source, _) => source.EndUs);
        using var timer = new PeriodicTimer(tick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_paused)
                {
                    // Resume continues from where time stopped, not with a burst of what the pause skipped.
                    startUs = Interlocked.Read(ref _pausedAtUs);
                    startTicks = time.GetTimestamp();
                    continue;
                }

                var target = startUs + (long)(time.GetElapsedTime(startTicks).TotalMicroseconds * speed);
                AdvanceTo(target);
                if (endUs is { } end && target > end)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _regions)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        _publisher.Dispose();
    }
}
