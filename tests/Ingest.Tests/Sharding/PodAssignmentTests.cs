using Ingest.Sharding;

namespace Ingest.Tests.Sharding;

public sealed class PodAssignmentTests
{
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Symbols_AreBalanced(int podCount)
    {
        var symbols = SyntheticSymbols(2000);
        var counts = new int[podCount];
        foreach (var symbol in symbols)
        {
            counts[PodAssignment.OwnerOf(symbol, podCount)]++;
        }

        var fair = symbols.Count / (double)podCount;
        foreach (var count in counts)
        {
            Assert.InRange(count, fair * 0.85, fair * 1.15);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(7)]
    public void AddingAPod_MovesOnlyItsShare_AndOnlyToIt(int podCount)
    {
        var symbols = SyntheticSymbols(2000);
        var moved = 0;
        foreach (var symbol in symbols)
        {
            var before = PodAssignment.OwnerOf(symbol, podCount);
            var after = PodAssignment.OwnerOf(symbol, podCount + 1);
            if (before != after)
            {
                Assert.Equal(podCount, after);
                moved++;
            }
        }

        var expected = symbols.Count / (double)(podCount + 1);
        Assert.InRange(moved, expected * 0.85, expected * 1.15);
    }

    [Fact]
    public void Owners_AreStableAcrossProcessesAndVersions()
    {
        // Pinned: every pod of every version must agree, so these may never change silently.
        var symbols = new[] { "BTCUSDT", "ETHUSDT", "BNBUSDT", "SOLUSDT", "XRPUSDT", "DOGEUSDT" };
        var owners = symbols.Select(symbol => PodAssignment.OwnerOf(symbol, 4)).ToArray();
        Assert.Equal(ExpectedOwnersOf4, owners);
        Assert.Equal(owners, symbols.Select(symbol => PodAssignment.OwnerOf(symbol.ToLowerInvariant(), 4)));
        Assert.All(symbols, symbol => Assert.Equal(0, PodAssignment.OwnerOf(symbol, 1)));
    }

    [Fact]
    public void ExactlyOnePod_OwnsEachSymbol()
    {
        var pods = Enumerable.Range(0, 5).Select(index => new PodAssignment(index, 5)).ToArray();
        foreach (var symbol in SyntheticSymbols(500))
        {
            var owners = pods.Where(pod => pod.Owns(symbol)).ToArray();
            Assert.Single(owners);
            Assert.Equal(PodAssignment.OwnerOf(symbol, 5), owners[0].PodIndex);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => new PodAssignment(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PodAssignment(-1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PodAssignment.OwnerOf("BTCUSDT", 0));
    }

    [Theory]
    [InlineData("ingest-0", true, 0)]
    [InlineData("ingest-3", true, 3)]
    [InlineData("binance-ingest-12", true, 12)]
    [InlineData("ingest-3.ingest.streaming.svc.cluster.local", true, 3)]
    [InlineData("ingest", false, 0)]
    [InlineData("ingest-", false, 0)]
    [InlineData("-3", false, 0)]
    [InlineData("ingest-3a", false, 0)]
    [InlineData("ingest--3", true, 3)]
    [InlineData("ingest-+3", false, 0)]
    [InlineData("ingest-99999999999", false, 0)]
    [InlineData("", false, 0)]
    [InlineData("ingest-7d9f8-abcde", false, 0)]
    public void TryParseOrdinal_ReadsStatefulSetNames(string hostName, bool parsed, int ordinal)
    {
        Assert.Equal(parsed, PodAssignment.TryParseOrdinal(hostName, out var actual));
        Assert.Equal(ordinal, actual);
    }

    private static int[] ExpectedOwnersOf4 => [2, 0, 1, 1, 1, 0];

    private static List<string> SyntheticSymbols(int count)
    {
        var random = new Random(1234);
        var symbols = new HashSet<string>(StringComparer.Ordinal);
        while (symbols.Count < count)
        {
            var chars = new char[random.Next(2, 7)];
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = (char)('A' + random.Next(26));
            }

            symbols.Add(new string(chars) + (random.Next(4) == 0 ? "BTC" : "USDT"));
        }

        return [.. symbols.Order(StringComparer.Ordinal)];
    }
}
