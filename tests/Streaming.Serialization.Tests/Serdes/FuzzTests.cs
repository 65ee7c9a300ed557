using System.Text;
using Confluent.Kafka;
using Streaming.Serialization.Tests.Messages;

namespace Streaming.Serialization.Tests.Serdes;

/// <summary>
/// Whatever the bytes, the deserializer returns a message or throws <see cref="ProtobufSerdeException"/>;
/// any other exception fails the test. Fixed seeds, so a failure reproduces.
/// </summary>
public sealed class FuzzTests
{
    private const int Cases = 5000;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Deserialize_RandomBytes_ReturnsOrThrowsTyped(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < Cases; i++)
        {
            var data = new byte[random.Next(0, 64)];
            random.NextBytes(data);
            if (i % 2 == 0 && data.Length > 0)
            {
                data[0] = 0; // Half the cases get past the magic byte.
            }

            AssertReturnsOrTyped<Trade>(data, null, $"seed {seed} case {i}");
            AssertReturnsOrTyped<Trade.Types.Fill.Types.Venue>(data, null, $"seed {seed} case {i}");
        }
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void Deserialize_MutatedValidFrames_ReturnsOrThrowsTyped(int seed)
    {
        var random = new Random(seed);
        byte[][] valid = [ConfluentProtobufFrame.ToArray(5, Samples.Trade(seed)), ConfluentProtobufFrame.ToArray(6, Samples.Venue())];
        for (var i = 0; i < Cases; i++)
        {
            var data = Mutate(valid[i % 2], random);
            AssertReturnsOrTyped<Trade>(data, null, $"seed {seed} case {i}");
            AssertReturnsOrTyped<Trade.Types.Fill.Types.Venue>(data, null, $"seed {seed} case {i}");
        }
    }

    [Fact]
    public void Deserialize_MutatedRegistrylessPayloads_ReturnsOrThrowsTyped()
    {
        var random = new Random(5);
        var valid = Google.Protobuf.MessageExtensions.ToByteArray(Samples.Trade());
        var headers = new Headers { { "message-type", Encoding.UTF8.GetBytes("streaming.test.Trade") } };
        for (var i = 0; i < Cases; i++)
        {
            AssertReturnsOrTyped<Trade>(Mutate(valid, random), headers, $"case {i}");
        }
    }

    /// <summary>Flips bytes, truncates, or splices random bytes into a valid record.</summary>
    private static byte[] Mutate(byte[] valid, Random random)
    {
        var data = (byte[])valid.Clone();
        switch (random.Next(3))
        {
            case 0:
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    data[random.Next(data.Length)] ^= (byte)(1 << random.Next(8));
                }

                return data;
            case 1:
                return data[..random.Next(data.Length)];
            default:
                var at = random.Next(data.Length);
                var noise = new byte[random.Next(1, 8)];
                random.NextBytes(noise);
                return [.. data[..at], .. noise, .. data[at..]];
        }
    }

    private static void AssertReturnsOrTyped<T>(byte[] data, Headers? headers, string what)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        try
        {
            Assert.NotNull(new ProtobufDeserializer<T>().Deserialize(data, false, new SerializationContext(MessageComponentType.Value, "fuzz", headers)));
        }
        catch (ProtobufSerdeException)
        {
            // The typed error is an allowed outcome.
        }
        catch (Exception e) when (e is not Xunit.Sdk.XunitException)
        {
            Assert.Fail($"{what}: {Convert.ToHexString(data)} escaped as {e.GetType().Name}: {e.Message}");
        }
    }
}
