using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Streaming.Hosting;
using Streaming.Kafka;

namespace Streaming.Processing.Hosting;

/// <summary>
/// Hosts one <see cref="StreamsApplication"/>. Ready once the stream thread runs and none of its tasks is restoring; a
/// fatal error stops the host (non-zero exit) after the thread closed its tasks; a stop request commits and leaves
/// the group within <see cref="ProcessingOptions.ShutdownTimeout"/>.
/// </summary>
internal sealed class StreamProcessingService(
    Topology.Topology topology,
    IOptions<ProcessingOptions> options,
    KafkaClientFactory kafka,
    ProcessingMetrics metrics,
    ReadinessGate readiness,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    IEnumerable<Runtime.ICommitProbe> probes) : BackgroundService
{
    public const string ReadyCondition = "stream-tasks-running";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var application = new StreamsApplication(topology, options.Value, kafka, metrics, time, loggerFactory)
        {
            CommitProbe = probes.FirstOrDefault(),
        };
        var run = application.RunAsync(stoppingToken);
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(500), time);
        try
        {
            while (!run.IsCompleted && await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                if (application.AllTasksRunning)
                {
                    readiness.Set(ReadyCondition);
                }
                else
                {
                    readiness.Reset(ReadyCondition);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        try
        {
            await run.WaitAsync(options.Value.ShutdownTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The thread is stuck in a blocking Kafka call; exiting is safe: nothing uncommitted is lost, only processed again.
        }
        catch (Exception)
        {
            lifetime.StopApplication();
            throw;
        }
    }
}
