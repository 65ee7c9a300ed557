namespace Streaming.Benchmarking;

/// <summary>
/// Names the threads of a process that runs Kafka clients and the embedded broker, for CPU per thread group
/// (<see cref="ThreadUsage.Between"/>): the processing thread, the pipeline's librdkafka threads (those started with
/// its clients), Confluent.Kafka's delivery-report thread, the mock brokers and the harness's own clients.
/// </summary>
/// <remarks>Moved here from tests/Streaming.Processing.Benchmarks (its <c>Runs.Group</c>); the names are unchanged.</remarks>
public static class KafkaThreadGroups
{
    public const string Processing = "processing thread (the runtime's stream thread; the baseline's loop)";
    public const string PipelineKafka = "pipeline's librdkafka threads (its consumers and producer)";
    public const string Delivery = "pipeline's Confluent.Kafka producer poll thread (delivery reports)";
    public const string Mock = "mock brokers (librdkafka mock cluster, 3 brokers)";
    public const string HarnessKafka = "harness's librdkafka threads (progress queries)";

    /// <summary>The group of thread <paramref name="tid"/> named <paramref name="name"/>.</summary>
    /// <param name="tid">The thread's kernel id.</param>
    /// <param name="name">Its name (<c>comm</c>).</param>
    /// <param name="processing">The processing thread's kernel id.</param>
    /// <param name="pipelineThreads">Threads started with the pipeline (<see cref="ThreadUsage.Started"/>).</param>
    /// <param name="mock">Threads started with the embedded broker.</param>
    public static string Group(int tid, string name, int processing, HashSet<int> pipelineThreads, HashSet<int> mock)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(pipelineThreads);
        ArgumentNullException.ThrowIfNull(mock);
        if (tid == processing)
        {
            return Processing;
        }

        if (mock.Contains(tid))
        {
            return Mock;
        }

        if (name.StartsWith("rdk:", StringComparison.Ordinal))
        {
            return pipelineThreads.Contains(tid) ? PipelineKafka : HarnessKafka;
        }

        if (pipelineThreads.Contains(tid) && name.StartsWith(".NET Long", StringComparison.Ordinal))
        {
            return Delivery;
        }

        return ThreadUsage.Family(name);
    }
}
