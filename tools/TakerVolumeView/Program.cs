using System.Runtime.InteropServices;
using TakerVolumeView;

// A live terminal view of the taker-volume pipeline's output topics (README.md). Ctrl-C and SIGTERM stop it cleanly:
// the consumer is closed, the cursor and colours restored, the summary written, exit code 0.
using var stop = new CancellationTokenSource();
ConsoleCancelEventHandler onCancelKey = (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
Console.CancelKeyPress += onCancelKey;
try
{
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.Cancel();
    });
    var console = new ViewConsole(Console.Out, Console.Error, !Console.IsOutputRedirected, TerminalWidth, TimeProvider.System);
    return await ViewApp.RunAsync(args, console, stop.Token);
}
finally
{
    Console.CancelKeyPress -= onCancelKey;
}

static int TerminalWidth()
{
    try
    {
        return Console.WindowWidth > 0 ? Console.WindowWidth : 160;
    }
    catch (IOException)
    {
        return 160;
    }
}
