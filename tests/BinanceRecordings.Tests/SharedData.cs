using Streaming.Testing;

namespace BinanceRecordings.Tests;

/// <summary>
/// Locates the recordings vendored in tests/data/recordings (a copy of the project's shared
/// real-data samples, provenance in its README.md). Fails loudly when one is missing: a skipped
/// real-data check would look like a passing one.
/// </summary>
internal static class SharedData
{
    public static string Root { get; } = RepoPaths.Combine("tests", "data", "recordings");

    public static string File(params string[] relativePath)
    {
        var path = Path.Combine([Root, .. relativePath]);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"Recording {path} is missing from tests/data/recordings.", path);
    }
}
