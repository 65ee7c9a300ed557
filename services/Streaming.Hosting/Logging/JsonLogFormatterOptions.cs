using Microsoft.Extensions.Logging.Console;

namespace Streaming.Hosting.Logging;

/// <summary>Options of <see cref="JsonLogFormatter"/>.</summary>
internal sealed class JsonLogFormatterOptions : ConsoleFormatterOptions
{
    /// <summary>Written as <c>service</c> on every line, so logs of all services can share one index.</summary>
    public string ServiceName { get; set; } = string.Empty;
}
