using System.Globalization;
using Confluent.Kafka;
using Streaming.Topics.Provisioning;

namespace TopicProvisioner.CommandLine;

/// <summary>
/// Parses <c>--name value</c>, <c>--name=value</c> and switches; options fall back to environment
/// variables so secrets and cluster addresses can come from a Kubernetes secret.
/// </summary>
internal static class ArgumentParser
{
    private static readonly TimeSpan _defaultTimeout = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> _switches = new(StringComparer.Ordinal) { "dry-run", "apply", "delete-unmanaged-configs" };

    // Option name -> environment variable consulted when the option is absent (null: none).
    private static readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal)
    {
        ["bootstrap-servers"] = "KAFKA_BOOTSTRAP_SERVERS",
        ["catalog"] = null,
        ["max-replication-factor"] = null,
        ["timeout-seconds"] = null,
        ["security-protocol"] = "KAFKA_SECURITY_PROTOCOL",
        ["sasl-mechanism"] = "KAFKA_SASL_MECHANISM",
        ["sasl-username"] = "KAFKA_SASL_USERNAME",
        ["sasl-password"] = "KAFKA_SASL_PASSWORD",
        ["ssl-ca-location"] = "KAFKA_SSL_CA_LOCATION",
    };

    /// <exception cref="UsageException">The arguments are invalid.</exception>
    public static ProvisionerArguments Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var (values, switches) = Tokenize(args);
        string? Value(string option) =>
            values.TryGetValue(option, out var value) ? value : _options[option] is { } variable ? NullIfEmpty(environment(variable)) : null;

        if (switches.Contains("dry-run") && switches.Contains("apply"))
        {
            throw new UsageException("--dry-run and --apply exclude each other.");
        }

        return new ProvisionerArguments(
            Value("bootstrap-servers") ?? throw new UsageException("--bootstrap-servers (or KAFKA_BOOTSTRAP_SERVERS) is required."),
            Value("catalog"),
            switches.Contains("dry-run") ? ProvisionMode.DryRun : ProvisionMode.Apply,
            switches.Contains("delete-unmanaged-configs") ? UnmanagedConfigPolicy.Remove : UnmanagedConfigPolicy.Keep,
            Value("max-replication-factor") is { } max ? (short)Number("max-replication-factor", max, 1, short.MaxValue) : null,
            Value("timeout-seconds") is { } seconds ? TimeSpan.FromSeconds(Number("timeout-seconds", seconds, 1, 3600)) : _defaultTimeout,
            new KafkaSecurity(
                Value("security-protocol") is { } protocol ? Choice<SecurityProtocol>("security-protocol", protocol) : null,
                Value("sasl-mechanism") is { } mechanism ? Choice<SaslMechanism>("sasl-mechanism", mechanism) : null,
                Value("sasl-username"),
                Value("sasl-password"),
                Value("ssl-ca-location")));
    }

    private static (Dictionary<string, string> Values, HashSet<string> Switches) Tokenize(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var switches = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"Unexpected argument '{args[i]}'; options start with --.");
            }

            var (name, inline) = args[i][2..].Split('=', 2) switch
            {
                [var n, var v] => (n, v),
                [var n] => (n, (string?)null),
                _ => throw new UsageException($"Cannot read '{args[i]}'."),
            };
            if (_switches.Contains(name))
            {
                if (inline is not null)
                {
                    throw new UsageException($"--{name} takes no value.");
                }

                switches.Add(name);
            }
            else if (_options.ContainsKey(name))
            {
                var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal)
                    ? args[++i]
                    : throw new UsageException($"--{name} needs a value."));
                if (!values.TryAdd(name, value))
                {
                    throw new UsageException($"--{name} is given twice.");
                }
            }
            else
            {
                throw new UsageException($"Unknown option '--{name}'.");
            }
        }

        return (values, switches);
    }

    private static int Number(string option, string text, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new UsageException($"--{option} must be a whole number from {min} to {max}, not '{text}'.");

    // Accepts Kafka's spellings (SASL_SSL, SCRAM-SHA-512) for Confluent's enum names (SaslSsl, ScramSha512).
    private static T Choice<T>(string option, string text)
        where T : struct, Enum
    {
        static string Normalize(string name) => name.Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);

        return Enum.GetNames<T>().FirstOrDefault(name => string.Equals(name, Normalize(text), StringComparison.OrdinalIgnoreCase)) is { } match
            ? Enum.Parse<T>(match)
            : throw new UsageException($"--{option} must be one of {string.Join(", ", Enum.GetNames<T>())}, not '{text}'.");
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
