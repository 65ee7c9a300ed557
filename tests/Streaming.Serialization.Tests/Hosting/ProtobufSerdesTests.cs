using Confluent.Kafka;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Streaming.Contracts.Market.V1;
using Streaming.Serialization.Tests.Registry;
using Streaming.Testing;

namespace Streaming.Serialization.Tests.Hosting;

public sealed class ProtobufSerdesTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serializer_NoRegistryConfigured_WritesTheRegistrylessForm()
    {
        using var services = Services(new Dictionary<string, string?>());
        var serdes = services.GetRequiredService<ProtobufSerdes>();
        var trade = (AggTrade)new RandomMessages(1).Create(AggTrade.Descriptor);
        var context = new SerializationContext(MessageComponentType.Value, "binance.spot.aggtrade.normalized.v1", new Headers());

        var bytes = await serdes.Serializer<AggTrade>().SerializeAsync(trade, context);

        Assert.False(serdes.UsesRegistry);
        Assert.Equal(trade.ToByteArray(), bytes);
        Assert.Equal(trade, serdes.Deserializer<AggTrade>().Deserialize(bytes, isNull: false, context));
    }

    [Fact]
    public async Task Serializer_RegistryConfigured_WritesConfluentFramesRegisteredUnderTheTopicSubject()
    {
        await using var stub = await SchemaRegistryStub.StartAsync(Token);
        using var services = Services(new Dictionary<string, string?> { ["SchemaRegistry:Url"] = stub.Url.AbsoluteUri });
        var serdes = services.GetRequiredService<ProtobufSerdes>();
        var trade = (AggTrade)new RandomMessages(2).Create(AggTrade.Descriptor);
        var context = new SerializationContext(MessageComponentType.Value, "binance.spot.aggtrade.normalized.v1", new Headers());

        var bytes = await serdes.Serializer<AggTrade>().SerializeAsync(trade, context);

        Assert.True(serdes.UsesRegistry);
        Assert.Equal(0, bytes[0]);
        Assert.Equal(trade, await serdes.Deserializer<AggTrade>().DeserializeAsync(bytes, context, Token));
        using var http = new HttpClient();
        var subjects = await http.GetStringAsync(new Uri(stub.Url, "subjects"), Token);
        Assert.Contains("binance.spot.aggtrade.normalized.v1-value", subjects, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("SchemaRegistry:Url", "ftp://registry:8081", "SchemaRegistry:Url must be an absolute http or https URL")]
    [InlineData("SchemaRegistry:BasicAuthUser", "svc", "SchemaRegistry:BasicAuthUser and SchemaRegistry:BasicAuthPassword must be set together")]
    [InlineData("SchemaRegistry:CaCertificatePath", "/nonexistent/ca.pem", "SchemaRegistry:CaCertificatePath: file '/nonexistent/ca.pem' does not exist")]
    public void Settings_InvalidValue_FailNamingTheKey(string key, string value, string expected)
    {
        using var services = Services(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<SchemaRegistrySettings>>().Value);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddProtobufSerdes()
            .BuildServiceProvider();
    }
}
