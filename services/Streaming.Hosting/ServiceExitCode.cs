namespace Streaming.Hosting;

/// <summary>Process exit codes returned by <see cref="HostingExtensions.RunServiceAsync"/>.</summary>
public static class ServiceExitCode
{
    /// <summary>The service ran and stopped normally.</summary>
    public const int Success = 0;

    /// <summary>
    /// The service could not start for a reason other than its configuration, or a
    /// <see cref="Microsoft.Extensions.Hosting.BackgroundService"/> failed and stopped it.
    /// </summary>
    public const int Failed = 1;

    /// <summary>The configuration is invalid (sysexits.h <c>EX_CONFIG</c>); restarting will not help.</summary>
    public const int InvalidConfiguration = 78;
}
