using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using NhiGuard.Detection;
using NhiGuard.Scanner.Sources;

namespace NhiGuard.Scanner;

public sealed record ScanOptions
{
    public const long DefaultMaxFileSize = 10 * 1024 * 1024;

    public bool UseGit { get; init; } = true;
    public long MaxFileSize { get; init; } = DefaultMaxFileSize;
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;
    public Baseline? Baseline { get; init; }
}

/// <summary>Scans a working tree or folder: lists its files, reads them in parallel, runs the detector.</summary>
public sealed class WorkingTreeScanner(ScanConfig config, ScanOptions options)
{
    private readonly TextScanner _scanner = new(config.CreateDetector());

    public ScanResult Scan(string root, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var stats = new ScanStatistics();
        var warnings = new ConcurrentQueue<string>();
        string fullRoot = Path.GetFullPath(root);
        IReadOnlyList<SourceFile> files = WorkingTreeSource.Enumerate(fullRoot, options.UseGit, stats, warnings.Enqueue);

        var findings = new ConcurrentBag<Finding>();
        Parallel.ForEach(
            files,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelism), CancellationToken = cancellation },
            file =>
            {
                foreach (Finding f in ScanFile(file, stats, warnings.Enqueue))
                {
                    findings.Add(f);
                }
            });

        IReadOnlyList<ReportedFinding> all = ReportedFinding.InReportOrder(findings.Select(f => new ReportedFinding(f)));

        return new ScanResult
        {
            Root = fullRoot,
            Findings = all,
            Rules = _scanner.Detector.Rules,
            Statistics = stats,
            Warnings = warnings.OrderBy(w => w, StringComparer.Ordinal).ToList(),
            Duration = clock.Elapsed,
        }.WithBaseline(options.Baseline);
    }

    private IReadOnlyList<Finding> ScanFile(SourceFile file, ScanStatistics stats, Action<string> warn)
    {
        byte[] bytes;
        try
        {
            // A name that is not valid UTF-8 is opened by its bytes, without blocking on a FIFO;
            // others are looked at before they are opened.
            using SafeFileHandle? native = file.NativePath is null ? null : NativePaths.OpenRead(file.NativePath);
            long length = native is null ? new FileInfo(file.FullPath).Length : LengthOf(native);
            if (length > options.MaxFileSize)
            {
                stats.AddSkippedTooLarge();
                warn($"{file.RelativePath}: skipped: larger than --max-file-size ({length} bytes)");
                return [];
            }

            // Empty files hold nothing; FIFOs, sockets and devices also report length 0, and opening
            // a FIFO would block the scan forever.
            if (length == 0)
            {
                stats.AddScanned(0);
                return [];
            }

            if (native is not null)
            {
                bytes = ReadBounded(native, options.MaxFileSize);
            }
            else
            {
                using SafeFileHandle handle = File.OpenHandle(file.FullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.SequentialScan);
                bytes = ReadBounded(handle, options.MaxFileSize);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stats.AddUnreadable();
            warn($"{file.RelativePath}: cannot read: {e.Message}");
            return [];
        }

        if (TextDecoding.IsBinary(bytes))
        {
            return ScanBinary(file, bytes, stats);
        }

        stats.AddScanned(bytes.Length);
        return _scanner.Scan(file.RelativePath, TextDecoding.Decode(bytes), warn);
    }

    // What cannot seek (a FIFO, a socket, a device) has nothing to read, as when it is looked at by name.
    private static long LengthOf(SafeFileHandle handle)
    {
        try
        {
            return RandomAccess.GetLength(handle);
        }
        catch (NotSupportedException)
        {
            return 0;
        }
    }

    // A file that grows while it is read (a log) is read only up to the size limit.
    private static byte[] ReadBounded(SafeFileHandle handle, long limit)
    {
        long length = Math.Min(RandomAccess.GetLength(handle), limit);
        var buffer = new byte[length];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = RandomAccess.Read(handle, buffer.AsSpan(read), read);
            if (n == 0)
            {
                return buffer[..read];
            }

            read += n;
        }

        return buffer;
    }

    // Binary files are not text to search, but some are secrets themselves: a PKCS#12 keystore
    // that opens without a password hands out its private key to anyone who clones the repository.
    private IReadOnlyList<Finding> ScanBinary(SourceFile file, byte[] bytes, ScanStatistics stats)
    {
        IReadOnlyList<Finding> byPath = _scanner.Detector.Scan(new Fragment("", file.RelativePath));
        if (byPath.Count == 0)
        {
            stats.AddSkippedBinary();
            return [];
        }

        stats.AddScanned(bytes.Length);
        if (!Pkcs12Probe.IsPkcs12Path(file.RelativePath))
        {
            return byPath;
        }

        // Proven to hand out its private key without a password: no doubt left.
        return Pkcs12Probe.OpensWithoutPassword(bytes) ? byPath.Select(f => f with { Confidence = Confidence.High }).ToList() : [];
    }
}
