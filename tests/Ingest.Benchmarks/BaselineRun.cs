using ExchangeSimulator.Hosting;
using Ingest.Sharding;

namespace Ingest.Benchmarks;

/// <summary>
/// Row 1: the simulator with the pod's market and streams, on the pod's connection split (its own
/// <see cref="ShardPlanner"/>), each connection read by a <see cref="BareReceiver"/>; the market is advanced as fast
/// as the receivers keep up.
/// </summary>
internal static class BaselineRun
{
    public static async Task<RowResult> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken)
    {
        await using var server = await ExchangeSimulatorServer.StartAsync([Simulation.Settings(options)], cancellationToken: cancellationToken);
        var exchange = server.Exchange("spot");
        var region = exchange.Region("a");
        var streams = BenchmarkOptions.StreamsOf(exchange.Directory.Symbols.Select(s => s.Name));
        var shards = ShardPlanner.Plan(streams, [], options.MaxStreamsPerConnection).NewShards;
        var receivers = new List<BareReceiver>();
        try
        {
            foreach (var shard in shards)
            {
                receivers.Add(await BareReceiver.ConnectAsync(region.WebSocketUrl, shard, cancellationToken));
            }

            var loops = receivers.Select(r => Task.Run(r.RunAsync, CancellationToken.None)).ToArray();
            var driver = SimulatorDriver.Paced(exchange, () => receivers.Sum(r => r.Messages), SimulatorDriver.StepFor(options.TradesPerSecond), Simulation.HighWater);
            using var stop = new CancellationTokenSource();
            var producing = Task.Run(() => driver.RunAsync(stop.Token), CancellationToken.None);

            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), cancellationToken);
            var (messages0, bytes0) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));
            var delivered0 = exchange.DeliveredCount;
            var driver0 = driver.Snapshot();
            var threads0 = ThreadUsage.Snapshot();
            var start = ProcessSnapshot.Take();

            await Task.Delay(TimeSpan.FromSeconds(options.Seconds), cancellationToken);
            var end = ProcessSnapshot.Take();
            var threads1 = ThreadUsage.Snapshot();
            var driver1 = driver.Snapshot();
            var delivered1 = exchange.DeliveredCount;
            var (messages1, bytes1) = (receivers.Sum(r => r.Messages), receivers.Sum(r => r.Bytes));
            var connections = Simulation.Connections(region);

            await stop.CancelAsync();
            await producing;
            foreach (var receiver in receivers)
            {
                receiver.Abort();
            }

            await Task.WhenAll(loops);
            var result = new Measurement(messages1 - messages0, bytes1 - bytes0, start, end);
            return new RowResult(
                result,
                DriverWindow.Between(driver0, driver1, result.Seconds),
                delivered1 - delivered0,
                ThreadUsage.Between(threads0, threads1, (_, name) => ThreadUsage.Family(name)),
                connections);
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }
}
