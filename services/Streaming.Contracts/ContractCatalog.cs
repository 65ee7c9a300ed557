using Google.Protobuf.Reflection;
using Streaming.Contracts.Analytics.V1;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Contracts.Ops.V1;
using Streaming.Contracts.Raw.V1;

namespace Streaming.Contracts;

/// <summary>
/// Every contract of proto/: its files, its message types by full Protobuf name, and the source
/// text of each file (embedded, for Schema Registry clients that register the text).
/// </summary>
public static class ContractCatalog
{
    /// <summary>Every .proto file of proto/, imports before the files that use them.</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } =
    [
        CommonReflection.Descriptor,
        RawEventReflection.Descriptor,
        AggTradeReflection.Descriptor,
        KlineReflection.Descriptor,
        DepthReflection.Descriptor,
        TakerVolumeReflection.Descriptor,
        LargeTradeAlertReflection.Descriptor,
        WindowReconciliationReflection.Descriptor,
        FeedGapReflection.Descriptor,
        DeadLetterReflection.Descriptor,
    ];

    /// <summary>Every top-level message type of every file, in file order.</summary>
    public static IReadOnlyList<MessageDescriptor> Messages { get; } = [.. Files.SelectMany(file => file.MessageTypes)];

    private static readonly Dictionary<string, MessageDescriptor> _byFullName =
        Messages.ToDictionary(message => message.FullName, StringComparer.Ordinal);

    /// <summary>The message type with full Protobuf name <paramref name="fullName"/>, e.g. "binance.market.v1.AggTrade".</summary>
    /// <exception cref="KeyNotFoundException">No contract has that name.</exception>
    public static MessageDescriptor Get(string fullName) =>
        _byFullName.TryGetValue(fullName, out var message)
            ? message
            : throw new KeyNotFoundException($"No contract message named '{fullName}'.");

    /// <summary>Whether a message type named <paramref name="fullName"/> exists.</summary>
    public static bool TryGet(string fullName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out MessageDescriptor? message) =>
        _byFullName.TryGetValue(fullName, out message);

    /// <summary>All files as a FileDescriptorSet: what the compatibility check and proto/released/ hold.</summary>
    public static FileDescriptorSet ToFileDescriptorSet() =>
        new() { File = { Files.Select(file => FileDescriptorProto.Parser.ParseFrom(file.SerializedData)) } };

    /// <summary>
    /// The source text of a .proto file by its import path (its path under proto/), e.g.
    /// "binance/raw/v1/raw_event.proto" (<see cref="FileDescriptor.Name"/>).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such file.</exception>
    public static string GetProtoSource(string importPath)
    {
        using var stream = typeof(ContractCatalog).Assembly.GetManifestResourceStream(importPath)
            ?? throw new KeyNotFoundException($"No embedded .proto file '{importPath}'.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Import paths of every embedded .proto source file.</summary>
    public static IReadOnlyList<string> ProtoSourcePaths { get; } =
        [.. typeof(ContractCatalog).Assembly.GetManifestResourceNames().Where(name => name.EndsWith(".proto", StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
}
