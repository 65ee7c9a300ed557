using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Streaming.Hosting.Tests.Infrastructure;

namespace Streaming.Hosting.Tests;

public sealed class RunServiceTests
{
    [Fact]
    public async Task RunService_BackgroundServiceThrows_ReturnsFailed()
    {
        var builder = TestApp.CreateBuilder();
        builder.Services.AddHostedService<FailingService>();

        var exitCode = await TestApp.Build(builder).RunServiceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ServiceExitCode.Failed, exitCode);
    }

    [Fact]
    public async Task RunService_PortAlreadyInUse_LogsStartupFailedAndReturnsFailed()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var logs = new LogCapture();
        var builder = TestApp.CreateBuilder(new KeyValuePair<string, string?>("Service:Urls", $"http://127.0.0.1:{port}"));
        builder.Logging.AddProvider(logs);

        var exitCode = await TestApp.Build(builder).RunServiceAsync(TestContext.Current.CancellationToken);

        Assert.Equal(ServiceExitCode.Failed, exitCode);
        Assert.Single(logs.MessagesOf(101));
    }

    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("The stream broke.");
        }
    }
}
