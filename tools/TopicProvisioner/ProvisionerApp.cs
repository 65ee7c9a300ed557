using Confluent.Kafka;
using Streaming.Topics;
using TopicProvisioner.Admin;
using TopicProvisioner.CommandLine;

namespace TopicProvisioner;

/// <summary>The whole tool behind Program.cs, with its console and environment passed in so tests can run it.</summary>
internal static class ProvisionerApp
{
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args,
        TextWriter output,
        TextWriter error,
        Func<string, string?> environment,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Any(arg => arg is "--help" or "-h"))
        {
            await output.WriteAsync(Usage.Text);
            return ExitCodes.InSync;
        }

        ProvisionerArguments arguments;
        try
        {
            arguments = ArgumentParser.Parse(args, environment);
        }
        catch (UsageException e)
        {
            await error.WriteLineAsync($"{e.Message} Run with --help for usage.");
            return ExitCodes.Usage;
        }

        if (await LoadCatalogAsync(arguments, error) is not { } catalog)
        {
            return ExitCodes.Error;
        }

        await output.WriteLineAsync($"Catalog {catalog.SourceName}: {catalog.Topics.Count} topics. Cluster {arguments.BootstrapServers}.");
        if (await CreateAdminAsync(arguments, error) is not { } created)
        {
            return ExitCodes.Error;
        }

        using var admin = created;
        var command = new ProvisionCommand(admin, output, error, VerifyPolicy.Default);
        try
        {
            return await command.RunAsync(catalog, arguments.Mode, arguments.UnmanagedConfigs, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("Cancelled; changes already sent to the cluster stay applied. Run again to finish.");
            return ExitCodes.Error;
        }
    }

    private static async Task<ConfluentClusterAdmin?> CreateAdminAsync(ProvisionerArguments arguments, TextWriter error)
    {
        try
        {
            return new ConfluentClusterAdmin(arguments.ToAdminClientConfig(), arguments.RequestTimeout);
        }
        catch (Exception e) when (e is KafkaException or InvalidOperationException or ArgumentException)
        {
            // librdkafka validates its settings when the client is built, e.g. an unreadable CA file.
            await error.WriteLineAsync($"Cannot create a Kafka client from these settings: {e.Message}");
            return null;
        }
    }

    private static async Task<TopicCatalog?> LoadCatalogAsync(ProvisionerArguments arguments, TextWriter error)
    {
        try
        {
            var catalog = arguments.CatalogPath is { } path ? TopicCatalog.Load(path) : TopicCatalog.LoadDefault();
            return arguments.MaxReplicationFactor is { } max ? catalog.WithMaxReplicationFactor(max) : catalog;
        }
        catch (TopicCatalogException e)
        {
            await error.WriteLineAsync(e.Message);
        }
        catch (IOException e)
        {
            await error.WriteLineAsync($"Cannot read the catalog {arguments.CatalogPath}: {e.Message}");
        }

        return null;
    }
}
