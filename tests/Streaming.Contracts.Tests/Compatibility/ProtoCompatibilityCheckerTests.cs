using Google.Protobuf.Reflection;

namespace Streaming.Contracts.Tests.Compatibility;

public sealed class ProtoCompatibilityCheckerTests
{
    private const string AggTrade = "binance.market.v1.AggTrade";
    private const string Market = "binance.common.v1.Market";

    [Fact]
    public void FindBreakingChanges_CurrentContracts_MatchTheReleasedBaseline()
    {
        var released = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "released", "descriptor-set.binpb")));

        var problems = ProtoCompatibilityChecker.FindBreakingChanges(released.File, ContractCatalog.ToFileDescriptorSet().File);

        Assert.True(problems.Count == 0,
            "Breaking changes against proto/released/descriptor-set.binpb:\n  " + string.Join("\n  ", problems)
            + "\nA breaking change needs a new package version (v2) and a new topic (proto/README.md, \"Schema evolution\").");
    }

    [Fact]
    public void FindBreakingChanges_Unchanged_ReportsNothing() => AssertCompatible(_ => { });

    [Fact]
    public void FindBreakingChanges_FieldAddedWithNewNumber_ReportsNothing() =>
        AssertCompatible(files => Message(files, AggTrade).Field.Add(new FieldDescriptorProto
        {
            Name = "is_best_match", Number = 99, Type = FieldDescriptorProto.Types.Type.Bool, JsonName = "isBestMatch",
        }));

    [Fact]
    public void FindBreakingChanges_MessageAndEnumValueAdded_ReportsNothing() =>
        AssertCompatible(files =>
        {
            files[0].MessageType.Add(new DescriptorProto { Name = "NewThing" });
            Enum(files, Market).Value.Add(new EnumValueDescriptorProto { Name = "MARKET_COINM_FUTURES", Number = 3 });
        });

    [Fact]
    public void FindBreakingChanges_FieldRemovedAndReservedByNumberAndName_ReportsNothing() =>
        AssertCompatible(files => RemoveField(Message(files, AggTrade), "price", reserveNumber: true, reserveName: true));

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void FindBreakingChanges_FieldRemovedWithoutFullReservation_ReportsIt(bool reserveNumber, bool reserveName) =>
        AssertBreaking("AggTrade.price = 4: removed without", files => RemoveField(Message(files, AggTrade), "price", reserveNumber, reserveName));

    [Fact]
    public void FindBreakingChanges_FieldNumberChanged_ReportsIt() =>
        AssertBreaking("AggTrade.price = 4: number changed to 40", files => Field(files, AggTrade, "price").Number = 40);

    [Fact]
    public void FindBreakingChanges_FieldTypeChanged_ReportsIt() =>
        AssertBreaking("AggTrade.price = 4: type changed from string to double",
            files => Field(files, AggTrade, "price").Type = FieldDescriptorProto.Types.Type.Double);

    [Fact]
    public void FindBreakingChanges_FieldMessageTypeChanged_ReportsIt() =>
        AssertBreaking("AggTrade.market = 2: type changed from binance.common.v1.Market to binance.common.v1.Side",
            files => Field(files, AggTrade, "market").TypeName = ".binance.common.v1.Side");

    [Fact]
    public void FindBreakingChanges_FieldLabelChanged_ReportsIt() =>
        AssertBreaking("AggTrade.price = 4: label changed from singular to repeated",
            files => Field(files, AggTrade, "price").Label = FieldDescriptorProto.Types.Label.Repeated);

    [Fact]
    public void FindBreakingChanges_FieldRenamed_ReportsIt() =>
        AssertBreaking("AggTrade.price = 4: renamed to p", files => Field(files, AggTrade, "price").Name = "p");

    [Fact]
    public void FindBreakingChanges_MessageRenamed_ReportsItRemoved() =>
        AssertBreaking("message binance.market.v1.AggTrade was removed or renamed", files => Message(files, AggTrade).Name = "AggregateTrade");

    [Fact]
    public void FindBreakingChanges_EnumValueRemoved_ReportsIt() =>
        AssertBreaking("Market.MARKET_SPOT = 1: removed without",
            files => Enum(files, Market).Value.Remove(Enum(files, Market).Value.Single(value => value.Number == 1)));

    [Fact]
    public void FindBreakingChanges_EnumValueRenamed_ReportsIt() =>
        AssertBreaking("Market.MARKET_SPOT = 1: renamed to MARKET_CASH",
            files => Enum(files, Market).Value.Single(value => value.Number == 1).Name = "MARKET_CASH");

    [Fact]
    public void FindBreakingChanges_ReservedNumberReused_ReportsIt()
    {
        var released = Contracts();
        RemoveField(Message(released, AggTrade), "price", reserveNumber: true, reserveName: true);
        var current = released.Select(file => file.Clone()).ToList();
        Message(current, AggTrade).Field.Add(new FieldDescriptorProto { Name = "price_text", Number = 4, Type = FieldDescriptorProto.Types.Type.String });

        var problems = ProtoCompatibilityChecker.FindBreakingChanges(released, current);

        Assert.Contains(problems, problem => problem.Contains("AggTrade.price_text = 4: reuses a number or name reserved", StringComparison.Ordinal));
    }

    [Fact]
    public void FindBreakingChanges_ReservationDropped_ReportsIt()
    {
        var released = Contracts();
        RemoveField(Message(released, AggTrade), "price", reserveNumber: true, reserveName: true);
        var current = released.Select(file => file.Clone()).ToList();
        Message(current, AggTrade).ReservedRange.Clear();

        var problems = ProtoCompatibilityChecker.FindBreakingChanges(released, current);

        Assert.Contains(problems, problem => problem.Contains("AggTrade: reservation of numbers 4..4 was dropped", StringComparison.Ordinal));
    }

    [Fact]
    public void FindBreakingChanges_EnumValueRemovedWithNumberAndNameReserved_IsCompatible()
    {
        // Enum reserved ranges are inclusive: [1, 1] retires exactly value 1 (a message range [1, 1) would retire nothing).
        AssertCompatible(files =>
        {
            var market = Enum(files, Market);
            var spot = market.Value.Single(value => value.Number == 1);
            market.Value.Remove(spot);
            market.ReservedRange.Add(new EnumDescriptorProto.Types.EnumReservedRange { Start = 1, End = 1 });
            market.ReservedName.Add(spot.Name);
        });
    }

    [Fact]
    public void FindBreakingChanges_EnumReservationReused_ReportsIt()
    {
        var released = Contracts();
        Enum(released, Market).ReservedRange.Add(new EnumDescriptorProto.Types.EnumReservedRange { Start = 7, End = 9 });
        var current = released.Select(file => file.Clone()).ToList();
        Enum(current, Market).Value.Add(new EnumValueDescriptorProto { Name = "MARKET_REVIVED", Number = 9 });

        var problems = ProtoCompatibilityChecker.FindBreakingChanges(released, current);

        Assert.Contains(problems, problem => problem.Contains("enum value binance.common.v1.Market.MARKET_REVIVED = 9: reuses a number or name reserved", StringComparison.Ordinal));
    }

    private static void AssertCompatible(Action<List<FileDescriptorProto>> change)
    {
        var current = Contracts();
        change(current);

        Assert.Empty(ProtoCompatibilityChecker.FindBreakingChanges(Contracts(), current));
    }

    private static void AssertBreaking(string expected, Action<List<FileDescriptorProto>> change)
    {
        var current = Contracts();
        change(current);

        var problems = ProtoCompatibilityChecker.FindBreakingChanges(Contracts(), current);

        Assert.Contains(problems, problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    private static List<FileDescriptorProto> Contracts() => [.. ContractCatalog.ToFileDescriptorSet().File];

    private static DescriptorProto Message(List<FileDescriptorProto> files, string fullName) =>
        files.SelectMany(file => file.MessageType.Select(message => (Name: $"{file.Package}.{message.Name}", message)))
            .Single(entry => entry.Name == fullName).message;

    private static EnumDescriptorProto Enum(List<FileDescriptorProto> files, string fullName) =>
        files.SelectMany(file => file.EnumType.Select(enumType => (Name: $"{file.Package}.{enumType.Name}", enumType)))
            .Single(entry => entry.Name == fullName).enumType;

    private static FieldDescriptorProto Field(List<FileDescriptorProto> files, string message, string field) =>
        Message(files, message).Field.Single(candidate => candidate.Name == field);

    private static void RemoveField(DescriptorProto message, string name, bool reserveNumber, bool reserveName)
    {
        var field = message.Field.Single(candidate => candidate.Name == name);
        message.Field.Remove(field);
        if (reserveNumber)
        {
            message.ReservedRange.Add(new DescriptorProto.Types.ReservedRange { Start = field.Number, End = field.Number + 1 });
        }

        if (reserveName)
        {
            message.ReservedName.Add(name);
        }
    }
}
