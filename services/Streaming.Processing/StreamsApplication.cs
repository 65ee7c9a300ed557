using Microsoft.Extensions.Logging;
using Streaming.Kafka;
using Streaming.Processing.Runtime;
using Streaming.Processing.State;
using Streaming.Processing.Tasks;

namespace Streaming.Processing;

/// <summary>
/// One instance of a topology (Kafka Streams' <c>KafkaStreams</c>): a stream thread on its own long-running thread,
/// sharing the work with every other instance of the same application id through the consumer group.
/// </summary>
public sealed class StreamsApplication : IDisposable
{
    private readonly StreamThread _thread;

    public StreamsApplication(Topology.Topology topology, ProcessingOptions options, KafkaClientFactory kafka, ProcessingMetrics metrics, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        StreamThread? thread = null;
        var clients = StreamThreadClients.Create(kafka, topology, options, () => thread!);
        var stateDirectory = new StateDirectory(options.StateDirectory, topology.ApplicationId, loggerFactory.CreateLogger<StateDirectory>());
        thread = new StreamThread(topology, options, clients, stateDirectory, metrics, time, loggerFactory.CreateLogger<StreamsApplication>());
        _thread = thread;
    }

    /// <summary>Test hook: called at each commit step.</summary>
    internal ICommitProbe? CommitProbe
    {
        get => _thread.Probe;
        set => _thread.Probe = value;
    }

    /// <summary>Each owned task's state; a copy taken at the last change.</summary>
    public IReadOnlyDictionary<TaskId, TaskState> Tasks => _thread.TaskStates;

    /// <summary>True while every owned task is running (none restoring).</summary>
    public bool AllTasksRunning
    {
        get
        {
            foreach (var state in _thread.TaskStates.Values)
            {
                if (state != TaskState.Running)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Runs the stream thread until <paramref name="stopping"/> is cancelled, then commits, writes snapshots and leaves
    /// the group. A fatal error faults the returned task after the thread closed its tasks without committing.
    /// </summary>
    public Task RunAsync(CancellationToken stopping) =>
        Task.Factory.StartNew(() => _thread.Run(stopping), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    public void Dispose() => _thread.Dispose();
}
