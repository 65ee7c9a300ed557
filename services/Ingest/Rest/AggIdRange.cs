namespace Ingest.Rest;

/// <summary>Aggregate trade ids <see cref="FirstId"/>..<see cref="LastId"/>, both inclusive.</summary>
internal readonly record struct AggIdRange(long FirstId, long LastId)
{
    public long Count => LastId - FirstId + 1;

    public override string ToString() => FirstId == LastId ? $"{FirstId}" : $"{FirstId}..{LastId}";
}
