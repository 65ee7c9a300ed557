using Streaming.Processing.Processors;
using Streaming.Processing.Tasks;

namespace Streaming.Processing.Topology;

/// <summary>A processor declaration; <see cref="Instantiate"/> makes the per-task instance with its context.</summary>
internal abstract class ProcessorNode(string name, IReadOnlyList<string> stores)
{
    public string Name { get; } = name;

    public IReadOnlyList<string> Stores { get; } = stores;

    public abstract ProcessorInstance Instantiate(StreamTask task);
}

internal sealed class ProcessorNode<TKey, TValue>(string name, Func<IProcessor<TKey, TValue>> factory, IReadOnlyList<string> stores)
    : ProcessorNode(name, stores)
{
    public override ProcessorInstance Instantiate(StreamTask task) =>
        new ProcessorInstance<TKey, TValue>(Name, factory(), new TaskProcessorContext(task, Stores));
}
