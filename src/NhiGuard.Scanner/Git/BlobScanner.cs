using NhiGuard.Detection;

namespace NhiGuard.Scanner.Git;

/// <summary>Scans one blob's bytes as the file at a path, the way <c>scan</c> treats a file on disk.</summary>
internal sealed class BlobScanner(TextScanner scanner, ScanStatistics stats)
{
    private static readonly byte[] LfsPointer = "version https://git-lfs.github.com/spec/"u8.ToArray();

    public Detector Detector => scanner.Detector;

    public IReadOnlyList<Finding> Scan(string path, Blob blob, Action<string> warn)
    {
        switch (blob.Status)
        {
            case BlobStatus.TooLarge:
                stats.AddSkippedTooLarge();
                warn($"{path}: blob {Short(blob.Id)} skipped: larger than --max-file-size ({blob.Size} bytes)");
                return [];
            case BlobStatus.Missing:
            case BlobStatus.NotABlob:
                stats.AddUnreadable();
                warn($"{path}: blob {Short(blob.Id)} is not in the repository (partial or shallow clone)");
                return [];
        }

        ReadOnlySpan<byte> bytes = blob.Bytes;
        switch (Classify(bytes))
        {
            case BlobKind.LfsPointer:
                stats.AddSkippedBinary();
                return [];
            case BlobKind.Binary:
                return ScanBinary(path, bytes);
        }

        stats.AddScanned(bytes.Length);
        return bytes.Length == 0 ? [] : scanner.Scan(path, TextDecoding.Decode(bytes), warn);
    }

    /// <summary>Text, binary, or a Git LFS pointer (which names a file stored elsewhere; its sha256 is not a secret).</summary>
    public static BlobKind Classify(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 1024 && bytes.StartsWith(LfsPointer))
        {
            return BlobKind.LfsPointer;
        }

        return bytes.Length > 0 && TextDecoding.IsBinary(bytes) ? BlobKind.Binary : BlobKind.Text;
    }

    // As in a working tree: only rules that match by path apply, and a PKCS#12 keystore is a
    // finding only when it opens without a password.
    public IReadOnlyList<Finding> ScanBinary(string path, ReadOnlySpan<byte> bytes)
    {
        IReadOnlyList<Finding> byPath = scanner.Detector.Scan(new Fragment("", path));
        if (byPath.Count == 0)
        {
            stats.AddSkippedBinary();
            return [];
        }

        stats.AddScanned(bytes.Length);
        if (Pkcs12Probe.IsPkcs12Path(path) && !Pkcs12Probe.OpensWithoutPassword(bytes.ToArray()))
        {
            return [];
        }

        return byPath;
    }

    internal static string Short(string id) => id[..Math.Min(12, id.Length)];
}
