using Google.Protobuf.Reflection;
using Streaming.Contracts.Common.V1;
using Streaming.Contracts.Market.V1;
using Streaming.Topics;

namespace Streaming.Contracts.Tests;

public sealed class ContractCatalogTests
{
    private static readonly string[] _contractPackages = ["binance.raw.", "binance.market.", "binance.analytics.", "binance.ops."];

    [Fact]
    public void TryGet_EveryContractValueTypeOfTheTopicCatalog_FindsIt()
    {
        var valueTypes = TopicCatalog.LoadDefault().Topics
            .Select(topic => topic.Value)
            .Where(value => _contractPackages.Any(prefix => value.StartsWith(prefix, StringComparison.Ordinal)))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        var missing = valueTypes.Where(name => !ContractCatalog.TryGet(name, out _));

        Assert.Equal(10, valueTypes.Count);
        Assert.Empty(missing);
    }

    [Fact]
    public void Fields_AnyMessage_NeverFloatOrDouble()
    {
        // Prices and volumes are exact decimal text: a binary float cannot hold 0.1 exactly.
        var floating = AllMessages(ContractCatalog.Messages)
            .SelectMany(message => message.Fields.InFieldNumberOrder())
            .Where(field => field.FieldType is FieldType.Float or FieldType.Double)
            .Select(field => field.FullName);

        Assert.Empty(floating);
    }

    [Fact]
    public void Files_EveryFile_FollowsThePackageAndNamespaceConvention()
    {
        foreach (var file in ContractCatalog.Files)
        {
            var parts = file.Package.Split('.');
            var expectedNamespace = $"Streaming.Contracts.{char.ToUpperInvariant(parts[1][0])}{parts[1][1..]}.V{parts[2][1..]}";

            Assert.Matches(@"^binance\.[a-z]+\.v[0-9]+$", file.Package);
            Assert.StartsWith(file.Package.Replace('.', '/') + "/", file.Name, StringComparison.Ordinal);
            Assert.Equal(expectedNamespace, file.ToProto().Options.CsharpNamespace);
            Assert.Equal("proto3", file.ToProto().Syntax);
        }
    }

    [Fact]
    public void ProtoSourcePaths_EmbeddedSources_AreExactlyTheCatalogFiles()
    {
        // Catches a new .proto file that was not added to ContractCatalog.Files.
        Assert.Equal(ContractCatalog.Files.Select(file => file.Name).Order(StringComparer.Ordinal), ContractCatalog.ProtoSourcePaths);
    }

    [Fact]
    public void GetProtoSource_RawEventFile_ReturnsItsSourceText()
    {
        var source = ContractCatalog.GetProtoSource("binance/raw/v1/raw_event.proto");

        Assert.Contains("package binance.raw.v1;", source, StringComparison.Ordinal);
        Assert.Contains("message RawEvent {", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_UnknownName_ThrowsNamingIt()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => ContractCatalog.Get("binance.market.v1.Nope"));

        Assert.Contains("binance.market.v1.Nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToFileDescriptorSet_Always_HoldsEveryFileInImportOrder()
    {
        var set = ContractCatalog.ToFileDescriptorSet();

        Assert.Equal(ContractCatalog.Files.Select(file => file.Name), set.File.Select(file => file.Name));
    }

    [Theory]
    [InlineData(false, Side.TakerBuy)]
    [InlineData(true, Side.TakerSell)]
    public void TakerSide_BuyerIsMaker_IsTheOppositeSide(bool buyerIsMaker, Side expected)
    {
        var trade = new AggTrade { BuyerIsMaker = buyerIsMaker };

        Assert.Equal(expected, trade.TakerSide);
    }

    private static IEnumerable<MessageDescriptor> AllMessages(IEnumerable<MessageDescriptor> messages) =>
        messages.SelectMany(message => AllMessages(message.NestedTypes).Prepend(message));
}
