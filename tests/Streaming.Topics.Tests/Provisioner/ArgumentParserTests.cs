using Confluent.Kafka;
using Streaming.Topics.Provisioning;
using TopicProvisioner;
using TopicProvisioner.CommandLine;

namespace Streaming.Topics.Tests.Provisioner;

public sealed class ArgumentParserTests
{
    private static readonly Func<string, string?> _noEnvironment = _ => null;

    [Fact]
    public void Parse_OnlyBootstrapServers_AppliesWithDefaults()
    {
        var arguments = ArgumentParser.Parse(["--bootstrap-servers", "k1:9092,k2:9092"], _noEnvironment);

        Assert.Equal(
            new ProvisionerArguments(
                "k1:9092,k2:9092", null, ProvisionMode.Apply, UnmanagedConfigPolicy.Keep, null, TimeSpan.FromSeconds(30),
                new KafkaSecurity(null, null, null, null, null)),
            arguments);
    }

    [Fact]
    public void Parse_EveryOption_IsRead()
    {
        var arguments = ArgumentParser.Parse(
            [
                "--bootstrap-servers=k:9093", "--catalog", "topics.yaml", "--dry-run", "--delete-unmanaged-configs",
                "--max-replication-factor", "1", "--timeout-seconds=5", "--security-protocol", "SASL_SSL",
                "--sasl-mechanism", "SCRAM-SHA-512", "--sasl-username", "svc", "--sasl-password", "s3cret", "--ssl-ca-location", "/ca.pem",
            ],
            _noEnvironment);

        Assert.Equal(
            new ProvisionerArguments(
                "k:9093", "topics.yaml", ProvisionMode.DryRun, UnmanagedConfigPolicy.Remove, 1, TimeSpan.FromSeconds(5),
                new KafkaSecurity(SecurityProtocol.SaslSsl, SaslMechanism.ScramSha512, "svc", "s3cret", "/ca.pem")),
            arguments);
    }

    [Fact]
    public void Parse_ConnectionSettingsInEnvironment_AreUsedWhenOptionsAbsent()
    {
        var environment = new Dictionary<string, string>
        {
            ["KAFKA_BOOTSTRAP_SERVERS"] = "env:9092",
            ["KAFKA_SECURITY_PROTOCOL"] = "sasl_plaintext",
            ["KAFKA_SASL_MECHANISM"] = "PLAIN",
            ["KAFKA_SASL_USERNAME"] = "env-user",
            ["KAFKA_SASL_PASSWORD"] = "env-secret",
        };

        var arguments = ArgumentParser.Parse(["--sasl-username", "cli-user"], environment.GetValueOrDefault);

        Assert.Equal("env:9092", arguments.BootstrapServers);
        Assert.Equal(
            new KafkaSecurity(SecurityProtocol.SaslPlaintext, SaslMechanism.Plain, "cli-user", "env-secret", null),
            arguments.Security);
    }

    [Theory]
    [InlineData(new string[0], "--bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) is required.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--dry-run", "--apply" }, "--dry-run and --apply exclude each other.")]
    [InlineData(new[] { "--bootstrap-servers" }, "--bootstrap-servers needs a value.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--bootstrap-servers", "j" }, "--bootstrap-servers is given twice.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--force" }, "Unknown option '--force'.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "extra" }, "Unexpected argument 'extra'; options start with --.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--dry-run=yes" }, "--dry-run takes no value.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--timeout-seconds", "0" }, "--timeout-seconds must be a whole number from 1 to 3600, not '0'.")]
    [InlineData(new[] { "--bootstrap-servers", "k", "--max-replication-factor", "x" }, "--max-replication-factor must be a whole number from 1 to 32767, not 'x'.")]
    public void Parse_InvalidCommandLine_ThrowsUsageExceptionSayingWhy(string[] args, string message)
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(args, _noEnvironment));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_UnknownSecurityProtocol_ListsTheChoices()
    {
        var error = Assert.Throws<UsageException>(() => ArgumentParser.Parse(["--bootstrap-servers", "k", "--security-protocol", "tls"], _noEnvironment));

        Assert.Equal("--security-protocol must be one of Plaintext, Ssl, SaslPlaintext, SaslSsl, not 'tls'.", error.Message);
    }

    [Fact]
    public void ToString_WithPassword_NeverShowsIt()
    {
        var security = new KafkaSecurity(SecurityProtocol.SaslSsl, SaslMechanism.Plain, "user", "s3cret", null);

        Assert.DoesNotContain("s3cret", security.ToString(), StringComparison.Ordinal);
        Assert.Contains("SaslPassword = ***", security.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToAdminClientConfig_SecuritySettings_ReachTheClient()
    {
        var arguments = ArgumentParser.Parse(
            ["--bootstrap-servers", "k:9093", "--security-protocol", "sasl_ssl", "--sasl-mechanism", "scram-sha-256", "--sasl-username", "u", "--sasl-password", "p"],
            _noEnvironment);

        var config = arguments.ToAdminClientConfig();

        Assert.Equal(
            ("k:9093", SecurityProtocol.SaslSsl, SaslMechanism.ScramSha256, "u", "p"),
            (config.BootstrapServers, config.SecurityProtocol, config.SaslMechanism, config.SaslUsername, config.SaslPassword));
    }
}
