using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Streaming.Kafka;
using Streaming.Kafka.Statistics;
using Streaming.Processing;

namespace TakerVolume.Benchmarks.Pipelines;

/// <summary>
/// One in-process instance of a topology on the runtime (<see cref="StreamsApplication"/>), wired as the runtime's
/// benchmark and integration tests wire theirs: the project's Kafka clients through <see cref="KafkaClientFactory"/>,
/// the run's commit interval, a state directory of its own. Both topologies the harness compares run through this
/// class, so they differ only in the topology. <paramref name="owned"/> (e.g. the topology's metrics) is disposed with it.
/// </summary>
internal sealed class RuntimePipeline(
    Streaming.Processing.Topology.Topology topology, ProcessingOptions options, KafkaOptions kafka, ProcessingMeter meter, ILoggerFactory loggerFactory, IDisposable? owned = null)
    : IPipeline
{
    private readonly CancellationTokenSource _stop = new();
    private ProcessingMetrics? _metrics;
    private Task _run = Task.CompletedTask;

    public string GroupId => topology.ApplicationId;

    public int ProcessingThread => meter.StreamThread;

    public (TimeSpan Time, long Count) Commits => meter.Commits;

#pragma warning disable VSTHRD003 // The stream thread's task, started by StartAsync.
    public Task Completion => _run;
#pragma warning restore VSTHRD003

    public StreamsApplication? Application { get; private set; }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var factory = new KafkaClientFactory(Microsoft.Extensions.Options.Options.Create(kafka), new KafkaStatisticsSink(), NullLogger<KafkaClientFactory>.Instance);
        _metrics = new ProcessingMetrics();
        Application = new StreamsApplication(topology, options, factory, _metrics, TimeProvider.System, loggerFactory);
        _run = Application.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _run.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await _run.WaitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Already reported by the run that failed.
            }
        }

        Application?.Dispose();
        _metrics?.Dispose();
        owned?.Dispose();
        _stop.Dispose();
    }
}
