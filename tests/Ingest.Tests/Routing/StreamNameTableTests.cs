using System.Text;
using Ingest.Routing;

namespace Ingest.Tests.Routing;

public sealed class StreamNameTableTests
{
    [Fact]
    public void KnownNames_ReturnTheRegisteredInstance()
    {
        var table = new StreamNameTable();
        var names = new[] { "btcusdt@aggTrade", "btcusdt@depth@100ms", "BTCUSDT", "ethusdt@kline_1m@+08:00", "!serverShutdown" };
        foreach (var name in names)
        {
            Assert.Same(name, table.Register(name));
        }

        Assert.Same(names[0], table.Register(new string(names[0].AsSpan())));
        Assert.Equal(names.Length, table.Count);
        foreach (var name in names)
        {
            Assert.True(table.TryGet(Encoding.UTF8.GetBytes(name), out var found));
            Assert.Same(name, found);
        }
    }

    [Fact]
    public void UnknownTooLongOrInvalidNames_AreNotFound()
    {
        var table = new StreamNameTable();
        table.Register("btcusdt@aggTrade");
        Assert.False(table.TryGet("BTCUSDT@aggTrade"u8, out _));
        Assert.False(table.TryGet("btcusdt@aggtrade"u8, out _));
        Assert.False(table.TryGet(""u8, out _));
        Assert.False(table.TryGet(new byte[StreamNameTable.MaxNameLength + 1], out _));
        Assert.False(table.TryGet([0x62, 0xFF, 0x63], out _));
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void RandomNames_RoundTrip()
    {
        var random = new Random(1234);
        var table = new StreamNameTable();
        var registered = new List<string>();
        for (var i = 0; i < 2000; i++)
        {
            var name = RandomName(random) + "@aggTrade";
            registered.Add(table.Register(name));
        }

        foreach (var name in registered)
        {
            Assert.True(table.TryGet(Encoding.UTF8.GetBytes(name), out var found));
            Assert.Same(name, found);
            Assert.False(table.TryGet(Encoding.UTF8.GetBytes(name + "x"), out _));
        }
    }

    private static string RandomName(Random random)
    {
        var chars = new char[random.Next(3, 12)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + random.Next(26));
        }

        return new string(chars);
    }
}
