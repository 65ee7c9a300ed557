using System.Collections.Concurrent;
using System.Reflection;
using Confluent.Kafka;

namespace Ingest.Tests.Pipeline;

/// <summary>
/// An <see cref="IProducer{TKey, TValue}"/> that only records what is produced (every delivery succeeds silently), for
/// tests of code that publishes without a broker. Anything but Produce, Flush and Dispose throws.
/// </summary>
#pragma warning disable CA1852 // DispatchProxy derives from it at run time.
internal class ProducerRecorder<TValue> : DispatchProxy
#pragma warning restore CA1852
{
    public ConcurrentQueue<(string Topic, Message<string, TValue> Message)> Produced { get; } = new();

    public static (IProducer<string, TValue> Producer, ProducerRecorder<TValue> Recorder) Create()
    {
        var producer = DispatchProxy.Create<IProducer<string, TValue>, ProducerRecorder<TValue>>();
        return (producer, (ProducerRecorder<TValue>)(object)producer);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        switch (targetMethod?.Name)
        {
            case nameof(IProducer<string, TValue>.Produce) when args is [string topic, Message<string, TValue> message, ..]:
                Produced.Enqueue((topic, message));
                return null;
            case nameof(IProducer<string, TValue>.Flush):
                return targetMethod.ReturnType == typeof(int) ? 0 : null;
            case nameof(IDisposable.Dispose):
                return null;
            default:
                throw new NotSupportedException($"{targetMethod?.Name} is not recorded.");
        }
    }
}
