using Streaming.Processing.Processors;

namespace Streaming.Processing.Tasks;

/// <summary>A processor created for one task, with its context.</summary>
internal abstract class ProcessorInstance(string name)
{
    public string Name { get; } = name;

    public abstract void Init();

    public abstract void Republish();

    public abstract void Flush();

    public abstract void Close();
}

internal sealed class ProcessorInstance<TKey, TValue>(string name, IProcessor<TKey, TValue> processor, IProcessorContext context) : ProcessorInstance(name)
{
    public override void Init() => processor.Init(context);

    public void Process(Record<TKey, TValue> record) => processor.Process(record);

    public override void Republish() => processor.Republish();

    public override void Flush() => processor.Flush();

    public override void Close() => processor.Close();
}
