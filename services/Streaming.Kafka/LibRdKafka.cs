using System.Globalization;
using System.Reflection;
using Confluent.Kafka;

namespace Streaming.Kafka;

/// <summary>
/// Start-up check of the native librdkafka: fail fast with a clear message rather than with an
/// EntryPointNotFoundException deep inside a consumer (Debian 12's librdkafka 2.0.2 does that).
/// </summary>
public static class LibRdKafka
{
    /// <summary>The oldest librdkafka accepted, from eng/librdkafka.props (compiled into this assembly).</summary>
    public static Version MinimumVersion { get; } = Version.Parse(
        typeof(LibRdKafka).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "LibRdKafkaMinimumVersion").Value!);

    /// <summary>Loads librdkafka and returns its version; throws <see cref="LibRdKafkaException"/> when unusable.</summary>
    public static Version EnsureSupported()
    {
        int encoded;
        try
        {
            encoded = Library.Version;
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException or EntryPointNotFoundException or TypeInitializationException)
        {
            throw new LibRdKafkaException(
                $"librdkafka could not be loaded ({ex.Message}). It is built by scripts/bootstrap.sh and copied next to the application at build time.",
                ex);
        }

        var version = Decode(encoded);
        Check(version);
        return version;
    }

    internal static void Check(Version loaded)
    {
        if (!IsSupported(loaded))
        {
            throw new LibRdKafkaException(
                $"librdkafka {loaded} is loaded{LoadedFromSuffix()}, but {MinimumVersion} or newer is required. Rebuild with scripts/bootstrap.sh.");
        }
    }

    public static bool IsSupported(Version version) => version >= MinimumVersion;

    /// <summary>librdkafka encodes its version as 0xMMmmrrxx (major, minor, revision, pre-release).</summary>
    public static Version Decode(int encoded) =>
        new((encoded >> 24) & 0xff, (encoded >> 16) & 0xff, (encoded >> 8) & 0xff);

    /// <summary>Where the process loaded librdkafka from, read from /proc/self/maps (Linux), for error messages.</summary>
    public static string? LoadedFrom()
    {
        const string Maps = "/proc/self/maps";
        if (!File.Exists(Maps))
        {
            return null;
        }

        foreach (var line in File.ReadLines(Maps))
        {
            var path = line.IndexOf('/', StringComparison.Ordinal);
            if (path >= 0 && line.AsSpan(path).Contains("librdkafka", StringComparison.Ordinal))
            {
                return line[path..];
            }
        }

        return null;
    }

    private static string LoadedFromSuffix() =>
        LoadedFrom() is { } path ? string.Create(CultureInfo.InvariantCulture, $" from {path}") : string.Empty;
}

/// <summary>The native librdkafka is missing or too old.</summary>
public sealed class LibRdKafkaException : Exception
{
    public LibRdKafkaException()
    {
    }

    public LibRdKafkaException(string message)
        : base(message)
    {
    }

    public LibRdKafkaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
