using System.IO.Compression;

namespace BinanceRecordings;

/// <summary>Opens a recording for sequential reading, decompressing gzip files (".gz") on the fly.</summary>
internal static class RecordingFiles
{
    private const int BufferSize = 1 << 16;

    public static Stream OpenRead(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress, leaveOpen: false)
            : file;
    }
}
