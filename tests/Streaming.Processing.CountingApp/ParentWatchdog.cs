using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Streaming.Processing.CountingApp;

/// <summary>
/// Crash-test hook (<c>Chaos:ParentPid</c>): the instance kills itself (SIGKILL) once the test process that started it
/// is gone, so a test host that dies (even by an abort in the embedded broker it hosts) leaves no instance behind.
/// </summary>
internal sealed class ParentWatchdog(int parentPid, TimeProvider time) : BackgroundService
{
    public static void Register(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration["Chaos:ParentPid"] is { Length: > 0 } pid)
        {
            var parent = int.Parse(pid, CultureInfo.InvariantCulture);
            services.AddHostedService(sp => new ParentWatchdog(parent, sp.GetRequiredService<TimeProvider>()));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            if (!Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{parentPid}")))
            {
                using var self = Process.GetCurrentProcess();
                self.Kill();
            }
        }
    }
}
