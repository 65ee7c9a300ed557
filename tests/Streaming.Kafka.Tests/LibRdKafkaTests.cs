namespace Streaming.Kafka.Tests;

public sealed class LibRdKafkaTests
{
    [Fact]
    public void EnsureSupported_ProjectBuild_IsLoadedFromTheApplicationFolder()
    {
        var version = LibRdKafka.EnsureSupported();

        Assert.True(version >= LibRdKafka.MinimumVersion, $"loaded {version}, minimum {LibRdKafka.MinimumVersion}");
        // Our build, copied next to the binaries; not some system librdkafka that happens to be on the path.
        var path = LibRdKafka.LoadedFrom();
        Assert.NotNull(path);
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "librdkafka.so"), path);
    }

    [Fact]
    public void MinimumVersion_ComesFromTheBuildProps()
    {
        var props = File.ReadAllText(Streaming.Testing.RepoPaths.Combine("eng", "librdkafka.props"));
        Assert.Contains($"<LibRdKafkaMinimumVersion>{LibRdKafka.MinimumVersion}</LibRdKafkaMinimumVersion>", props, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x020f01ff, "2.15.1")]
    [InlineData(0x020002ff, "2.0.2")]
    [InlineData(0x020e0200, "2.14.2")]
    public void Decode_LibRdKafkaHexVersion_ReadsMajorMinorRevision(int encoded, string expected)
    {
        Assert.Equal(Version.Parse(expected), LibRdKafka.Decode(encoded));
    }

    [Fact]
    public void IsSupported_DebianBookwormLibrary_IsRejected()
    {
        // Debian 12's librdkafka1 2.0.2 lacks rd_kafka_topic_partition_get_leader_epoch, which Confluent.Kafka 2.15 consumers call.
        Assert.False(LibRdKafka.IsSupported(new Version(2, 0, 2)));
        Assert.True(LibRdKafka.IsSupported(LibRdKafka.MinimumVersion));
    }

    [Fact]
    public void Check_OlderVersion_ThrowsNamingBothVersions()
    {
        var error = Assert.Throws<LibRdKafkaException>(() => LibRdKafka.Check(new Version(2, 0, 2)));

        Assert.Contains("librdkafka 2.0.2 is loaded", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{LibRdKafka.MinimumVersion} or newer is required", error.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/bootstrap.sh", error.Message, StringComparison.Ordinal);
    }
}
