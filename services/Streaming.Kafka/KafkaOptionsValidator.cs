using Confluent.Kafka;
using Microsoft.Extensions.Options;

namespace Streaming.Kafka;

/// <summary>Cross-field rules DataAnnotations cannot express; every message names the configuration key.</summary>
public sealed class KafkaOptionsValidator : IValidateOptions<KafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = KafkaOptions.SectionName;

        if (string.IsNullOrWhiteSpace(options.BootstrapServers))
        {
            failures.Add($"{Section}:BootstrapServers is required (host:port[,host:port...])");
        }

        var security = options.Security;
        var usesSasl = security.Protocol is SecurityProtocol.SaslPlaintext or SecurityProtocol.SaslSsl;
        if (usesSasl)
        {
            if (security.SaslMechanism is null)
            {
                failures.Add($"{Section}:Security:SaslMechanism is required when {Section}:Security:Protocol is {security.Protocol}");
            }

            if (security.SaslMechanism is not SaslMechanism.Gssapi and not SaslMechanism.OAuthBearer
                && (string.IsNullOrEmpty(security.SaslUsername) || string.IsNullOrEmpty(security.SaslPassword)))
            {
                failures.Add($"{Section}:Security:SaslUsername and {Section}:Security:SaslPassword are required for SASL {security.SaslMechanism}");
            }
        }

        if (options.Consumer.HeartbeatInterval >= options.Consumer.SessionTimeout)
        {
            failures.Add($"{Section}:Consumer:HeartbeatInterval ({options.Consumer.HeartbeatInterval}) must be shorter than {Section}:Consumer:SessionTimeout ({options.Consumer.SessionTimeout})");
        }

        foreach (var key in options.Overrides.Keys)
        {
            if (KafkaClientConfigs.OverrideProblem(key) is { } problem)
            {
                failures.Add(problem);
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
