namespace DevKafka;

/// <summary>Short command-line switches for the configuration keys developers set most.</summary>
internal static class CommandLine
{
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--brokers"] = "DevKafka:Brokers",
        ["--bootstrap-file"] = "DevKafka:BootstrapFile",
        ["--catalog"] = "DevKafka:Catalog",
    };
}
