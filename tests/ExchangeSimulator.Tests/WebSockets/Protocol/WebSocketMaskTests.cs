using System.Runtime.InteropServices;
using ExchangeSimulator.WebSockets.Protocol;

namespace ExchangeSimulator.Tests.WebSockets.Protocol;

/// <summary>The vectorized XOR against the byte-at-a-time definition of RFC 6455 §5.3.</summary>
public sealed class WebSocketMaskTests
{
    private static readonly byte[] Key = [0x37, 0xFA, 0x21, 0x3D];

    [Fact]
    public void Apply_EveryLengthAndOffset_MatchesDefinition()
    {
        var random = new Random(1234);
        var mask = MemoryMarshal.Read<uint>(Key);
        for (var length = 0; length <= 200; length++)
        {
            for (var offset = 0; offset < 4; offset++)
            {
                var data = new byte[length];
                random.NextBytes(data);
                var expected = new byte[length];
                for (var i = 0; i < length; i++)
                {
                    expected[i] = (byte)(data[i] ^ Key[(offset + i) % 4]);
                }

                var next = WebSocketMask.Apply(data, mask, offset);

                Assert.Equal(expected, data);
                Assert.Equal((offset + length) % 4, next);
            }
        }
    }

    [Fact]
    public void Apply_InPieces_EqualsApplyWhole()
    {
        var random = new Random(1234);
        var mask = MemoryMarshal.Read<uint>(Key);
        var original = new byte[5_000];
        random.NextBytes(original);
        var whole = original.ToArray();
        WebSocketMask.Apply(whole, mask, 0);

        var pieces = original.ToArray();
        var offset = 0;
        for (var start = 0; start < pieces.Length;)
        {
            var count = Math.Min(random.Next(1, 300), pieces.Length - start);
            offset = WebSocketMask.Apply(pieces.AsSpan(start, count), mask, offset);
            start += count;
        }

        Assert.Equal(whole, pieces);
    }
}
