using Streaming.Kafka;

namespace TakerVolumeView;

/// <summary>Where the view draws, and its clock: the console in Program, a captured writer in tests.</summary>
/// <param name="Output">Frames go here, each in one Write.</param>
/// <param name="Error">Argument and start-up errors.</param>
/// <param name="Terminal">ANSI frames every --refresh; otherwise a plain frame every --print-every.</param>
/// <param name="Width">The terminal's columns, asked before every frame.</param>
/// <param name="Time">The clock (ages, --duration, the header's time).</param>
internal sealed record ViewConsole(TextWriter Output, TextWriter Error, bool Terminal, Func<int> Width, TimeProvider Time)
{
    /// <summary>Plain frames to <paramref name="output"/> (errors too), on the system clock.</summary>
    public static ViewConsole Plain(TextWriter output) => new(output, output, false, () => 160, TimeProvider.System);
}

/// <summary>The view's run: parse, read, draw until the duration ends or the token is cancelled, then summarize.</summary>
internal static class ViewApp
{
    /// <summary>Runs with plain-text frames to <paramref name="output"/>; the in-process entry point of the tests.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken) =>
        RunAsync(args, ViewConsole.Plain(output), cancellationToken);

    /// <returns>0 when stopped by --duration or <paramref name="cancellationToken"/>; 64 for bad arguments; 1 when it cannot start or write the summary.</returns>
    public static async Task<int> RunAsync(string[] args, ViewConsole console, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        var parsed = ViewOptions.Parse(args);
        if (parsed.Help)
        {
            await console.Output.WriteAsync(ViewOptions.Usage);
            return 0;
        }

        if (parsed.Options is not { } options)
        {
            await console.Error.WriteLineAsync($"TakerVolumeView: {parsed.Error}");
            await console.Error.WriteLineAsync("Run with --help for the options.");
            return ViewOptions.ExitUsage;
        }

        ViewTopics topics;
        try
        {
            LibRdKafka.EnsureSupported();
            topics = ViewTopics.For(options.Market);
        }
        catch (Exception e) when (e is LibRdKafkaException or InvalidOperationException)
        {
            await console.Error.WriteLineAsync($"TakerVolumeView: {e.Message}");
            return 1;
        }

        var time = console.Time;
        var model = new ViewModel(options.Market, options.Alerts);
        var gate = new Lock();
        using var duration = options.Duration is { } d ? new CancellationTokenSource(d, time) : new CancellationTokenSource();
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, duration.Token);
        var token = stopping.Token;
        var reader = new TopicReader(options, topics, model, gate, time).RunAsync(token);
        using var http = new HttpClient();
        var scraper = options.MetricsUrls.Count > 0 ? new MetricsScraper(http, options.MetricsUrls, time) : null;

        try
        {
            if (console.Terminal)
            {
                await console.Output.WriteAsync(FrameRenderer.HideCursor + FrameRenderer.ClearScreen);
            }

            var lastPrint = time.GetUtcNow();
            while (!token.IsCancellationRequested)
            {
                if (scraper is not null)
                {
                    var snapshot = await scraper.ScrapeAsync(token);
                    lock (gate)
                    {
                        model.Metrics = snapshot;
                    }
                }

                var now = time.GetUtcNow();
                if (console.Terminal)
                {
                    await DrawAsync(console, options, model, gate, ansi: true);
                }
                else if (now - lastPrint >= options.PrintEvery)
                {
                    lastPrint = now;
                    await DrawAsync(console, options, model, gate, ansi: false);
                }

                await Task.Delay(options.Refresh, time, token);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // --duration elapsed, Ctrl-C or SIGTERM: stop cleanly below.
        }
        finally
        {
            // Stop the reader whatever ended the loop; it closes its consumer before its task completes.
            await stopping.CancelAsync();
            await reader;
            if (console.Terminal)
            {
                await console.Output.WriteAsync(FrameRenderer.Reset + FrameRenderer.ShowCursor);
                await console.Output.FlushAsync(CancellationToken.None);
            }
        }

        // The last state, also in redirected output, so a log ends with the final figures.
        if (!console.Terminal)
        {
            await DrawAsync(console, options, model, gate, ansi: false);
        }

        if (options.SummaryJson is { } path)
        {
            try
            {
                lock (gate)
                {
                    ViewSummary.Write(path, model, options.BootstrapServers, time.GetUtcNow());
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await console.Error.WriteLineAsync($"TakerVolumeView: --summary-json '{path}' could not be written: {e.Message}");
                return 1;
            }
        }

        return 0;
    }

    private static async Task DrawAsync(ViewConsole console, ViewOptions options, ViewModel model, Lock gate, bool ansi)
    {
        var context = new FrameContext(options.BootstrapServers, console.Time.GetUtcNow(), ansi ? console.Width() : int.MaxValue, ansi, options.Top);
        string frame;
        lock (gate)
        {
            frame = FrameRenderer.Render(model, context);
        }

        await console.Output.WriteAsync(ansi ? frame : frame + "\n");
        await console.Output.FlushAsync(CancellationToken.None);
    }
}
